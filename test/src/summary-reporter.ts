import type { Reporter, TestModule } from "vitest/node";

/**
 * Prints one closing line, `tests: N passed, N failed, N skipped`, that CI and people can read
 * without knowing vitest's own summary format; a test file that could not run at all (an error
 * while collecting it, so none of its tests counted) is named after it, so that the line never
 * says "0 failed" for a run that failed.
 */
export class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const broken: string[] = [];
    for (const module of testModules) {
      if (module.errors().length > 0) broken.push(module.relativeModuleId);
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed += 1;
        else if (state === "failed") failed += 1;
        else skipped += 1;
      }
    }
    const files = broken.length
      ? `; ${broken.length} test file(s) failed to run: ${broken.join(", ")}`
      : "";
    process.stdout.write(
      `\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped${files}\n`,
    );
  }
}
