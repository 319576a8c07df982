import { forwardRef, useRef } from "react";
import type { PolicyProblem } from "./types.ts";

/** Moves the caret to a line and selects it, scrolling it into view. */
export function goToLine(textarea: HTMLTextAreaElement, line: number): void {
  const lines = textarea.value.split("\n");
  const index = Math.min(Math.max(line, 1), lines.length) - 1;
  const start = lines.slice(0, index).reduce((sum, text) => sum + text.length + 1, 0);
  textarea.focus();
  textarea.setSelectionRange(start, start + (lines[index]?.length ?? 0));
  const lineHeight = Number.parseFloat(getComputedStyle(textarea).lineHeight) || 20;
  textarea.scrollTop = Math.max(0, index * lineHeight - textarea.clientHeight / 3);
}

/**
 * The policy YAML in a plain textarea with a line-number gutter in which lines with problems
 * are marked (a "!" and a tint), so a problem's line can be found without a code editor. The
 * gutter is decoration: the problem list below names each line for screen readers.
 */
export const PolicyText = forwardRef<
  HTMLTextAreaElement,
  {
    id: string;
    value: string;
    problems: readonly PolicyProblem[];
    describedBy: string;
    onChange(text: string): void;
  }
>(function PolicyText({ id, value, problems, describedBy, onChange }, ref) {
  const gutter = useRef<HTMLDivElement>(null);
  const bad = new Set(problems.flatMap((problem) => (problem.line ? [problem.line] : [])));
  const count = value.split("\n").length;
  return (
    <div className="gov-code-editor">
      <div className="gov-gutter" ref={gutter} aria-hidden="true">
        {Array.from({ length: count }, (_, index) => {
          const line = index + 1;
          return (
            <div
              key={line}
              className={bad.has(line) ? "gov-gutter-line gov-bad" : "gov-gutter-line"}
            >
              {bad.has(line) ? `! ${line}` : line}
            </div>
          );
        })}
      </div>
      <textarea
        ref={ref}
        id={id}
        data-testid="policy-text"
        className="gov-mono gov-textarea"
        value={value}
        wrap="off"
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        aria-describedby={describedBy}
        aria-invalid={problems.length > 0}
        onChange={(event) => onChange(event.target.value)}
        onScroll={(event) => {
          if (gutter.current) gutter.current.scrollTop = event.currentTarget.scrollTop;
        }}
      />
    </div>
  );
});

/** The problems with a text, each naming its line, with a button that goes to it. */
export function ProblemList({
  id,
  problems,
  onGoTo,
}: {
  id: string;
  problems: readonly PolicyProblem[];
  onGoTo(line: number): void;
}) {
  if (problems.length === 0) return null;
  return (
    <ul id={id} className="gov-problems" data-testid="policy-problems">
      {problems.map((problem, index) => (
        // Problems have no ids; the list is replaced whole on each check.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <li key={index}>
          {problem.line ? (
            <button type="button" className="gov-link" onClick={() => onGoTo(problem.line ?? 1)}>
              Line {problem.line}
            </button>
          ) : (
            <span>Whole file</span>
          )}
          {problem.rule ? (
            <>
              {" "}
              (rule <code className="gov-code">{problem.rule}</code>)
            </>
          ) : null}
          : {problem.message}
        </li>
      ))}
    </ul>
  );
}
