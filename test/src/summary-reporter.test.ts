import { describe, expect, it, vi } from "vitest";
import type { TestModule } from "vitest/node";
import { SummaryReporter } from "./summary-reporter.ts";

/** A test file as the reporter reads it: its collection errors and its tests' states. */
const module = (id: string, states: string[], errors: unknown[] = []) =>
  ({
    relativeModuleId: id,
    errors: () => errors,
    children: { allTests: () => states.map((state) => ({ result: () => ({ state }) })) },
  }) as unknown as TestModule;

describe("the closing line", () => {
  it("counts tests, and names a file that failed before any of its tests ran", () => {
    const lines: string[] = [];
    const write = vi.spyOn(process.stdout, "write").mockImplementation((text) => {
      lines.push(String(text));
      return true;
    });
    try {
      new SummaryReporter().onTestRunEnd([
        module("a.test.ts", ["passed", "passed", "failed", "skipped"]),
        module("b.browser.test.ts", [], [{ message: "CI=true but chromium is not installed" }]),
      ]);
      new SummaryReporter().onTestRunEnd([module("a.test.ts", ["passed"])]);
    } finally {
      write.mockRestore();
    }
    expect(lines).toEqual([
      "\ntests: 2 passed, 1 failed, 1 skipped; 1 test file(s) failed to run: b.browser.test.ts\n",
      "\ntests: 1 passed, 0 failed, 0 skipped\n",
    ]);
  });
});
