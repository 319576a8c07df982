import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { aliasBomb } from "./hostile-yaml.ts";
import { defaultPoliciesDir } from "./load.ts";
import { parseYamlText, YAML_LIMITS } from "./read-yaml.ts";
import type { PolicyProblem } from "./types.ts";

const read = (text: string) => {
  const problems: PolicyProblem[] = [];
  const file = parseYamlText("police.yaml", text, problems);
  return { file, problems };
};

describe("reading a policy text that could hurt", () => {
  it.each([
    ["an alias bomb", aliasBomb(), 6, /expands to more than 200,000 values/],
    ["an alias inside its own anchor", "a: &a [1, *a]\n", 1, /inside its own anchor/],
    ["an alias with no anchor", "a: 1\nb: *nowhere\n", 2, /no anchor &nowhere/],
    ["deep flow nesting", `a: ${"[".repeat(40)}${"]".repeat(40)}\n`, 1, /deeper than 32/],
    [
      "deep block nesting",
      `${Array.from({ length: 40 }, (_, i) => `${" ".repeat(i)}- `).join("\n")}x\n`,
      33,
      /deeper than 32/,
    ],
    [
      "nesting made deep by an alias",
      `a: &a ${"[".repeat(20)}${"]".repeat(20)}\nb: ${"[".repeat(15)}*a${"]".repeat(15)}\n`,
      2,
      /deeper than 32 levels through an alias/,
    ],
    [
      "too many aliases",
      `a: &a 1\nb: [${Array.from({ length: 101 }, () => "*a").join(", ")}]\n`,
      2,
      /more than 100 aliases/,
    ],
  ])("%s is a problem with its line, never read", (_name, text, line, message) => {
    const { file, problems } = read(text);
    expect(file).toBeUndefined();
    expect(problems).toEqual([
      { file: "police.yaml", line, message: expect.stringMatching(message) },
    ]);
  });

  it("refuses a text over the size limit before parsing it", () => {
    const { file, problems } = read(`a: "${"x".repeat(YAML_LIMITS.maxBytes)}"\n`);
    expect(file).toBeUndefined();
    expect(problems).toEqual([
      { file: "police.yaml", message: "is 257 KB; a policy text may be at most 256 KB" },
    ]);
    // Counted in bytes: 100,000 three-byte characters are over, though fewer characters.
    expect(read(`a: "${"€".repeat(100_000)}"`).problems[0]?.message).toMatch(/is 293 KB/);
  });

  it("still reads the shipped files and a modest use of anchors", () => {
    const police = readFileSync(join(defaultPoliciesDir, "police.yaml"), "utf8");
    expect(read(police).problems).toEqual([]);
    const { file, problems } = read("roles: &r [a, b]\nagain: *r\n");
    expect(problems).toEqual([]);
    expect(file?.value).toEqual({ roles: ["a", "b"], again: ["a", "b"] });
  });

  it("judges the worst texts within the size limit quickly, without crashing", () => {
    const worst = {
      bomb: aliasBomb(40),
      flow: `a: ${"[".repeat(120_000)}${"]".repeat(120_000)}`,
      compact: `${"- ".repeat(120_000)}x`,
      keys: `${"? ".repeat(120_000)}x`,
      stairs: `${Array.from({ length: 700 }, (_, i) => `${" ".repeat(i)}- `).join("\n")}x`,
    };
    for (const [name, text] of Object.entries(worst)) {
      const started = performance.now();
      const { file, problems } = read(text);
      const ms = performance.now() - started;
      console.log(
        `read-yaml: ${name} (${Math.round(text.length / 1024)} KB) judged in ${ms.toFixed(0)} ms`,
      );
      expect(file, name).toBeUndefined();
      expect(problems[0]?.line, name).toEqual(expect.any(Number));
      expect(ms, name).toBeLessThan(3000);
    }
  });
});
