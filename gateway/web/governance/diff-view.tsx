import { count } from "./format.ts";

type DiffLine = { kind: "hunk" | "removed" | "added" | "same"; text: string };

/** The lines of a unified diff (the API's diffFromInForce), headers left out. */
export function diffLines(diff: string): DiffLine[] {
  return diff
    .split("\n")
    .filter((line, index, all) => !(index === all.length - 1 && line === ""))
    .filter((line) => !line.startsWith("--- ") && !line.startsWith("+++ "))
    .map((line): DiffLine => {
      if (line.startsWith("@@")) return { kind: "hunk", text: line };
      if (line.startsWith("-")) return { kind: "removed", text: line.slice(1) };
      if (line.startsWith("+")) return { kind: "added", text: line.slice(1) };
      return { kind: "same", text: line.slice(1) };
    });
}

/** "@@ -12,7 +12,6 @@" in words, for the screen reader and for anyone not fluent in diffs. */
function hunkWords(header: string): string {
  const match = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(header);
  return match ? `From line ${match[1]} in force (line ${match[2]} of this version)` : header;
}

/**
 * The text diff against the policy in force. Removed and added lines are <del> and <ins> with a
 * sign and words ("removed", "added") that screen readers read, not colour alone.
 */
export function DiffView({ diff, label }: { diff: string; label: string }) {
  if (!diff)
    return (
      <p data-testid="version-diff">The text is the same as the policy in force, line for line.</p>
    );
  const lines = diffLines(diff);
  const removed = lines.filter((l) => l.kind === "removed").length;
  const added = lines.filter((l) => l.kind === "added").length;
  return (
    <figure className="gov-diff" data-testid="version-diff">
      <figcaption>
        {label}: {count(removed, "line")} removed, {count(added, "line")} added
      </figcaption>
      <div className="gov-diff-lines gov-mono">
        {lines.map((line, index) => {
          // Lines have no ids; the diff is replaced whole when it changes.
          const key = `${index}`;
          if (line.kind === "hunk")
            return (
              <div key={key} className="gov-diff-hunk">
                {hunkWords(line.text)}
              </div>
            );
          if (line.kind === "removed")
            return (
              <del key={key} className="gov-diff-line gov-diff-removed">
                <span className="gov-diff-sign" aria-hidden="true">
                  −
                </span>
                <span className="gov-visually-hidden">removed: </span>
                {line.text}
              </del>
            );
          if (line.kind === "added")
            return (
              <ins key={key} className="gov-diff-line gov-diff-added">
                <span className="gov-diff-sign" aria-hidden="true">
                  +
                </span>
                <span className="gov-visually-hidden">added: </span>
                {line.text}
              </ins>
            );
          return (
            <div key={key} className="gov-diff-line">
              <span className="gov-diff-sign" aria-hidden="true">
                {" "}
              </span>
              {line.text}
            </div>
          );
        })}
      </div>
    </figure>
  );
}
