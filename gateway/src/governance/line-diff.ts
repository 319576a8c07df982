/**
 * A unified line diff (`diff -u` style) of two policy texts, for the reviewer: Myers' O(ND)
 * algorithm on the lines left after the common head and tail are taken off. Policy edits are
 * small, so D is small; past MAX_EDITS the middle is shown as removed and added whole rather
 * than spending memory on the trace (a reviewer reads that as "rewritten", which it is).
 */

export type LineOp = { kind: " " | "-" | "+"; text: string };

const MAX_EDITS = 2000;

/** The edit script from `before` to `after`: every line kept, removed or added, in order. */
export function lineOps(before: readonly string[], after: readonly string[]): LineOp[] {
  let head = 0;
  while (head < before.length && head < after.length && before[head] === after[head]) head++;
  let tail = 0;
  while (
    tail < before.length - head &&
    tail < after.length - head &&
    before[before.length - 1 - tail] === after[after.length - 1 - tail]
  )
    tail++;
  const a = before.slice(head, before.length - tail);
  const b = after.slice(head, after.length - tail);
  const keep = (lines: readonly string[]) => lines.map((text): LineOp => ({ kind: " ", text }));
  return [
    ...keep(before.slice(0, head)),
    ...(myers(a, b) ?? [
      ...a.map((text): LineOp => ({ kind: "-", text })),
      ...b.map((text): LineOp => ({ kind: "+", text })),
    ]),
    ...keep(before.slice(before.length - tail)),
  ];
}

function myers(a: readonly string[], b: readonly string[]): LineOp[] | undefined {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, MAX_EDITS);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0));
      let x = down ? (v[offset + k + 1] ?? 0) : (v[offset + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(a, b, trace);
    }
  }
  return undefined;
}

/** Walks the saved frontiers back from the end, emitting the script in reverse. */
function backtrack(a: readonly string[], b: readonly string[], trace: Int32Array[]): LineOp[] {
  const ops: LineOp[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 1; d >= 0; d--) {
    const frontier = trace[d] as Int32Array;
    // frontier[i] holds v[k] for k = i - d - 1.
    const at = (k: number) => frontier[k + d + 1] ?? 0;
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ kind: " ", text: a[x - 1] as string });
      x--;
      y--;
    }
    if (d === 0) break;
    if (down) ops.push({ kind: "+", text: b[y - 1] as string });
    else ops.push({ kind: "-", text: a[x - 1] as string });
    x = prevX;
    y = prevY;
  }
  return ops.reverse();
}

const splitLines = (text: string) => {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
};

/**
 * `--- before` / `+++ after` headers and `@@ -l,s +l,s @@` hunks with `context` lines around
 * each change; empty when the texts are the same line for line.
 */
export function unifiedDiff(
  before: string,
  after: string,
  labels: { before: string; after: string },
  context = 3,
): string {
  const ops = lineOps(splitLines(before), splitLines(after));
  const changed = ops.flatMap((op, i) => (op.kind === " " ? [] : [i]));
  if (changed.length === 0) return "";
  const out = [`--- ${labels.before}`, `+++ ${labels.after}`];
  // Position of each op in the old and new texts (1-based line numbers of what comes next).
  const oldLine: number[] = [];
  const newLine: number[] = [];
  let o = 1;
  let nw = 1;
  for (const op of ops) {
    oldLine.push(o);
    newLine.push(nw);
    if (op.kind !== "+") o++;
    if (op.kind !== "-") nw++;
  }
  let i = 0;
  while (i < changed.length) {
    const start = Math.max(0, (changed[i] as number) - context);
    let end = Math.min(ops.length, (changed[i] as number) + context + 1);
    // Changes closer than twice the context share a hunk.
    while (i + 1 < changed.length && (changed[i + 1] as number) - context <= end) {
      i++;
      end = Math.min(ops.length, (changed[i] as number) + context + 1);
    }
    const slice = ops.slice(start, end);
    const oldCount = slice.filter((op) => op.kind !== "+").length;
    const newCount = slice.filter((op) => op.kind !== "-").length;
    const oldStart = oldCount === 0 ? (oldLine[start] as number) - 1 : (oldLine[start] as number);
    const newStart = newCount === 0 ? (newLine[start] as number) - 1 : (newLine[start] as number);
    out.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`);
    for (const op of slice) out.push(`${op.kind}${op.text}`);
    i++;
  }
  return `${out.join("\n")}\n`;
}
