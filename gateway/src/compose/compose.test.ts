import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CompositionError, composeSupergraph } from "./compose.ts";
import { readSchemaFiles, supergraphFile } from "./schema-files.ts";

const files = readSchemaFiles();

function compositionProblems(subgraphs: typeof files): string[] {
  try {
    composeSupergraph(subgraphs);
  } catch (error) {
    if (error instanceof CompositionError) return error.problems;
    throw error;
  }
  return [];
}

describe("composition", () => {
  it("composes all seven agency subgraphs", () => {
    expect(files.map((f) => f.name)).toEqual([
      "adult-social-care",
      "childrens-services",
      "education",
      "health",
      "mash",
      "police",
      "probation",
    ]);
    const supergraph = composeSupergraph(files);
    for (const section of [
      "police",
      "socialCare",
      "health",
      "education",
      "probation",
      "adultSocialCare",
    ]) {
      expect(supergraph).toMatch(new RegExp(`\\b${section}: \\w+Section\\b`));
    }
  });

  it("matches the supergraph.graphql kept in the repository (run `npm run compose` if not)", () => {
    expect(readFileSync(supergraphFile, "utf8")).toBe(composeSupergraph(files));
  });

  it("names the subgraph, type and field of a conflict", () => {
    const broken = files.map((f) =>
      f.name === "police"
        ? {
            ...f,
            sdl: f.sdl.replace("police: PoliceSection", "police: PoliceSection\n  sealed: String!"),
          }
        : f,
    );
    const problems = compositionProblems(broken);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toContain('"Subject.sealed"');
    expect(problems[0]).toContain('subgraph "police"');
    expect(problems[0]).toContain('subgraph "mash"');
    expect(problems[0]).toMatch(/police:\d+/);
  });

  it("names the subgraph whose schema does not parse", () => {
    const broken = files.map((f) => (f.name === "health" ? { ...f, sdl: `${f.sdl}\ntype {` } : f));
    expect(compositionProblems(broken)).toEqual([
      expect.stringMatching(/^\[INVALID_GRAPHQL\] subgraph "health": Syntax Error/),
    ]);
  });
});
