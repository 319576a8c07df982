import { describe, expect, it } from "vitest";
import { describeProblem, GovernanceError, problemsOf, readResponse } from "./api.ts";
import { bearer } from "./use-session.ts";

describe("governance API responses", () => {
  it("returns data when there are no errors", () => {
    expect(readResponse(200, { data: { me: { id: "ig.police" } } })).toEqual({
      me: { id: "ig.police" },
    });
  });

  it("turns GraphQL errors into one error with every message, code and policy problem", () => {
    const body = {
      data: null,
      errors: [
        { message: "You proposed this version", extensions: { code: "FORBIDDEN" } },
        {
          message: "The text does not load",
          extensions: {
            code: "INVALID_POLICY",
            problems: [{ line: 12, rule: "police-x", message: "unknown role nurse" }, { bad: 1 }],
          },
        },
        { nothing: true },
      ],
    };
    expect(problemsOf(body)).toEqual([
      { message: "You proposed this version", code: "FORBIDDEN" },
      {
        message: "The text does not load",
        code: "INVALID_POLICY",
        details: [
          { line: 12, rule: "police-x", message: "unknown role nurse" },
          { line: null, rule: null, message: "Unknown problem" },
        ],
      },
      { message: "Unknown error" },
    ]);
    let thrown: unknown;
    try {
      readResponse(200, body);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GovernanceError);
    expect((thrown as GovernanceError).message).toContain("You proposed this version (FORBIDDEN)");
    expect((thrown as GovernanceError).status).toBe(200);
  });

  it("says plainly when the API is not there, or answered without data", () => {
    expect(() => readResponse(404, { error: "Nothing at /governance/graphql" })).toThrow(
      /not served by this gateway/,
    );
    expect(() => readResponse(502, undefined)).toThrow(/HTTP 502 without data/);
  });

  it("describes a problem with its code when it has one", () => {
    expect(describeProblem({ message: "No", code: "FORBIDDEN" })).toBe("No (FORBIDDEN)");
    expect(describeProblem({ message: "No" })).toBe("No");
  });
});

describe("bearer", () => {
  it.each([
    ["abc.def.ghi", "Bearer abc.def.ghi"],
    ["  Bearer abc.def.ghi \n", "Bearer abc.def.ghi"],
    ["bearer   abc", "Bearer abc"],
  ])("%j -> %j", (typed, expected) => {
    expect(bearer(typed)).toBe(expected);
  });
});
