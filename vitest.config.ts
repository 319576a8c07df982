import { defineConfig } from "vitest/config";
import { SummaryReporter } from "./test/src/summary-reporter.ts";

export default defineConfig({
  test: {
    include: ["subgraphs/*/src/**/*.test.ts", "gateway/src/**/*.test.ts", "test/src/**/*.test.ts"],
    // Cross-service suites start whole graphs; give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ["default", new SummaryReporter()],
  },
});
