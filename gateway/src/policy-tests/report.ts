import { isAbsolute, relative } from "node:path";
import { formatProblem } from "../authz/policy/types.ts";
import { formatCaseProblem } from "./case-file.ts";
import type { PolicyTestReport } from "./run-cases.ts";

/**
 * The report as lines for a terminal: every problem and every failed expectation with its file
 * (relative to `from` when inside it), line and case, then one summary line.
 */
export function formatReport(report: PolicyTestReport, from = process.cwd()): string[] {
  // Inside the working directory, a short path; outside it, the whole one (no "../../" walks).
  const path = (file: string) => {
    const near = relative(from, file);
    return near && !near.startsWith("..") && !isAbsolute(near) ? near : file;
  };
  if (report.policyProblems.length)
    return [
      ...report.policyProblems.map(formatProblem),
      `The policies in ${path(report.dir)} do not load (${report.policyProblems.length} problem(s)); no case was run.`,
    ];
  const lines = report.caseProblems.map((p) => formatCaseProblem({ ...p, file: path(p.file) }));
  for (const outcome of report.outcomes) {
    if (outcome.passed) continue;
    const c = outcome.case;
    for (const failure of outcome.failures)
      lines.push(`${path(c.file)}:${failure.line} case "${c.name}": ${failure.message}`);
  }
  const passed = report.outcomes.filter((o) => o.passed).length;
  const failed = report.outcomes.length - passed;
  const files = new Set(report.outcomes.map((o) => o.case.file)).size;
  lines.push(
    report.outcomes.length === 0 && report.caseProblems.length === 0
      ? `No policy tests in ${path(report.dir)}/tests.`
      : `Policy tests: ${passed} passed, ${failed} failed, in ${files} file(s)${
          report.caseProblems.length
            ? `; ${report.caseProblems.length} problem(s) in the case files`
            : ""
        }${report.untested.length ? `; no cases for ${report.untested.join(", ")}` : ""}.`,
  );
  return lines;
}
