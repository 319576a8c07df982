import { describe, expect, it } from "vitest";
import { DOWNSTREAM_SERVICE_ERROR, formatError } from "./error-format.ts";

describe("formatting errors for clients", () => {
  it("shows an error written for clients as it is, without a stack trace", () => {
    const shown = formatError({
      message: "Unknown enquiry ENQ-9",
      extensions: { code: "BAD_USER_INPUT", stacktrace: ["at x"] },
    });
    expect(shown).toEqual({
      message: "Unknown enquiry ENQ-9",
      extensions: { code: "BAD_USER_INPUT" },
    });
  });

  it("passes an error written for clients without a stack trace on as Apollo formatted it", () => {
    // A list answer has hundreds of withheld fields, each formatted here: none is copied.
    const formatted = {
      message: "Withheld",
      path: ["subjects", 3, "address"],
      extensions: { code: "UNAUTHORIZED_FIELD_OR_TYPE", rule: "default-deny", owner: "mash" },
    };
    expect(formatError(formatted)).toBe(formatted);
    expect(formatError(formatted)).toEqual({
      message: "Withheld",
      path: ["subjects", 3, "address"],
      extensions: { code: "UNAUTHORIZED_FIELD_OR_TYPE", rule: "default-deny", owner: "mash" },
    });
  });

  it("names the subgraph whose resolver failed, at its path, and keeps its message out", () => {
    const shown = formatError({
      message: 'relation "cases" does not exist at 10.0.0.7',
      path: ["shelf", "items", 1, "title"],
      extensions: { code: "INTERNAL_SERVER_ERROR", serviceName: "books" },
    });
    expect(shown).toEqual({
      message: "The books service reported an error here; this part is missing from the response.",
      path: ["shelf", "items", 1, "title"],
      extensions: { code: DOWNSTREAM_SERVICE_ERROR, subgraph: "books" },
    });
  });

  it("masks a fault of the gateway's own, keeping only its path", () => {
    const shown = formatError({ message: "TypeError: x is undefined", path: ["a"] });
    expect(shown.message).toMatch(/^Internal error: .*X-Request-Id/);
    expect(shown.extensions).toEqual({ code: "INTERNAL_SERVER_ERROR" });
    expect(shown.path).toEqual(["a"]);
  });
});
