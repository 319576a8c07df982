import { BadRequestError, MashRequestError } from "@mash/client-kit";
import { describe, expect, it } from "vitest";
import {
  ApiError,
  describeProblem,
  problemsOf,
  problemsOfError,
  requestIdOf,
} from "./api-error.ts";

const refusalFacts = {
  status: 400,
  code: "BAD_USER_INPUT",
  message: "Variable $id is missing",
  errors: [{ message: "Variable $id is missing", extensions: { code: "BAD_USER_INPUT" } }],
  requestId: "req-1",
};

describe("the problems of a GraphQL answer", () => {
  it("keeps every message, its code and a policy text's own problems by line", () => {
    const errors = [
      { message: "You proposed this version", extensions: { code: "FORBIDDEN" } },
      {
        message: "The text does not load",
        extensions: {
          code: "INVALID_POLICY",
          problems: [{ line: 12, rule: "police-x", message: "unknown role nurse" }, { bad: 1 }],
        },
      },
      { nothing: true },
      "not an error",
    ];
    expect(problemsOf(errors)).toEqual([
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
    expect(problemsOf(undefined)).toEqual([]);
  });

  it("describes a problem with its code when it has one", () => {
    expect(describeProblem({ message: "No", code: "FORBIDDEN" })).toBe("No (FORBIDDEN)");
    expect(describeProblem({ message: "No" })).toBe("No");
    const error = new ApiError([{ message: "No", code: "FORBIDDEN" }, { message: "Nor" }], 200);
    expect(error.message).toBe("No (FORBIDDEN); Nor");
  });
});

describe("the problems of any failure", () => {
  it("are an ApiError's own, with its request id", () => {
    const error = new ApiError([{ message: "No", code: "FORBIDDEN" }], 200, "req-2");
    expect(problemsOfError(error)).toEqual([{ message: "No", code: "FORBIDDEN" }]);
    expect(requestIdOf(error)).toBe("req-2");
  });

  it("read the client kit's refusals the same way", () => {
    expect(problemsOfError(new BadRequestError(refusalFacts))).toEqual([
      { message: "Variable $id is missing", code: "BAD_USER_INPUT" },
    ]);
    expect(requestIdOf(new BadRequestError(refusalFacts))).toBe("req-1");
    const bare = new MashRequestError({ ...refusalFacts, errors: [], code: undefined });
    expect(problemsOfError(bare)).toEqual([{ message: "Variable $id is missing" }]);
  });

  it("are anything else's words", () => {
    expect(problemsOfError(new TypeError("Failed to fetch"))).toEqual([
      { message: "Failed to fetch" },
    ]);
    expect(problemsOfError("down")).toEqual([{ message: "down" }]);
    expect(requestIdOf(new Error("x"))).toBeUndefined();
  });
});
