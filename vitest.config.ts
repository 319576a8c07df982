import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";
import { SummaryReporter } from "./test/src/summary-reporter.ts";

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql ships CommonJS and ESM builds; Apollo requires the CommonJS one. Vite would pick the
    // ESM one for our own imports, and two copies of graphql refuse each other's schemas.
    alias: [{ find: /^graphql$/, replacement: require.resolve("graphql") }],
  },
  test: {
    include: [
      "subgraphs/*/src/**/*.test.ts",
      "gateway/src/**/*.test.ts",
      "gateway/web/**/*.test.ts",
      "test/src/**/*.test.ts",
      "clients/*/src/**/*.test.ts",
    ],
    // Cross-service suites start whole graphs; give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ["default", new SummaryReporter()],
  },
});
