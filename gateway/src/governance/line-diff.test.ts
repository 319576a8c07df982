import { describe, expect, it } from "vitest";
import { lineOps, unifiedDiff } from "./line-diff.ts";

/** Longest common subsequence by dynamic programming: the reference for small inputs. */
function lcs(a: string[], b: string[]): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    let diagonal = 0;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] as number;
      row[j] = x === b[j - 1] ? diagonal + 1 : Math.max(above, row[j - 1] as number);
      diagonal = above;
    }
  }
  return row[b.length] as number;
}

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

describe("line diff", () => {
  it("is a shortest edit script that rebuilds both texts", () => {
    const next = random(7);
    for (let run = 0; run < 300; run++) {
      const lines = (n: number) =>
        Array.from(
          { length: Math.floor(next() * n) },
          () => "abcd"[Math.floor(next() * 4)] as string,
        );
      const a = lines(14);
      const b = lines(14);
      const ops = lineOps(a, b);
      expect(ops.filter((o) => o.kind !== "+").map((o) => o.text)).toEqual(a);
      expect(ops.filter((o) => o.kind !== "-").map((o) => o.text)).toEqual(b);
      expect(ops.filter((o) => o.kind === " ").length).toBe(lcs(a, b));
    }
  });

  it("prints unified hunks with three lines of context", () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`);
    const after = [...before];
    after[4] = "line five";
    after.splice(15, 1);
    const text = unifiedDiff(`${before.join("\n")}\n`, `${after.join("\n")}\n`, {
      before: "in force",
      after: "version 3",
    });
    expect(text).toBe(
      [
        "--- in force",
        "+++ version 3",
        "@@ -2,7 +2,7 @@",
        " line 2",
        " line 3",
        " line 4",
        "-line 5",
        "+line five",
        " line 6",
        " line 7",
        " line 8",
        "@@ -13,7 +13,6 @@",
        " line 13",
        " line 14",
        " line 15",
        "-line 16",
        " line 17",
        " line 18",
        " line 19",
        "",
      ].join("\n"),
    );
    expect(unifiedDiff("a\nb\n", "a\nb\n", { before: "x", after: "y" })).toBe("");
  });

  it("stays fast on a rewrite of a large text", () => {
    const a = Array.from({ length: 6000 }, (_, i) => `a ${i}`).join("\n");
    const b = Array.from({ length: 6000 }, (_, i) => `b ${i}`).join("\n");
    const started = performance.now();
    const text = unifiedDiff(a, b, { before: "x", after: "y" });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(text.split("\n").filter((l) => l.startsWith("-a ")).length).toBe(6000);
  });
});
