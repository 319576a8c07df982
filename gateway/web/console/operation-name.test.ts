import { describe, expect, it } from "vitest";
import { operationNameIn } from "./operation-name.ts";

describe("the operation a request runs", () => {
  it("keeps a name the document holds", () => {
    expect(operationNameIn("query A { a } query B { b }", "B")).toBe("B");
    expect(operationNameIn("# lines first\nquery A { a }", "A")).toBe("A");
  });

  it("takes the document's only operation over a stale name from the tab before", () => {
    expect(operationNameIn("# console lines\nquery FindSubject { a }", "SubjectOverview")).toBe(
      "FindSubject",
    );
    expect(operationNameIn("{ a }", "SubjectOverview")).toBeUndefined();
    expect(operationNameIn("mutation M { m }", undefined)).toBe("M");
  });

  it("leaves what it cannot settle to the gateway", () => {
    expect(operationNameIn("query A { a } query B { b }", "C")).toBe("C");
    expect(operationNameIn("query A {", "B")).toBe("B");
  });
});
