import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { SummaryReporter } from "../src/summary-reporter.ts";

const require = createRequire(import.meta.url);

/**
 * `npm run test:topology`: the whole topology (three gateways behind HAProxy, seven agencies,
 * PostgreSQL, Redis, NATS) in a run of its own. Not in `npm test`: it keeps a dozen processes
 * busy on purpose for a minute, which would slow every parallel suite and blur the timings it
 * reports (time to mark a killed gateway down, to recover).
 */
export default defineConfig({
  root: fileURLToPath(new URL("../..", import.meta.url)),
  resolve: {
    // As the root config: one copy of graphql for Apollo and for our own imports.
    alias: [{ find: /^graphql$/, replacement: require.resolve("graphql") }],
  },
  test: {
    include: ["test/topology/**/*.test.ts"],
    testTimeout: 150_000,
    hookTimeout: 120_000,
    reporters: ["default", new SummaryReporter()],
  },
});
