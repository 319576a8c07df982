import { describe, expect, it } from "vitest";
import { fillReturnedIds, rememberReturnedId, returnedBy, stepsNamedIn } from "./returned-ids.ts";

describe("ids an earlier step returned", () => {
  it("fills every placeholder at any depth, and leaves everything else as typed", () => {
    const variables = {
      input: {
        reason: "Amelia was present at a domestic incident",
        contactIds: [returnedBy("RecordContact"), "CON-9"],
        note: `see ${returnedBy("RecordContact")}`,
        rag: "AMBER",
        ask: ["police"],
        count: 2,
        nothing: null,
      },
    };
    const {
      variables: filled,
      filled: which,
      missing,
    } = fillReturnedIds(variables, new Map([["RecordContact", "CON-1"]]));
    expect(filled).toEqual({
      input: { ...variables.input, contactIds: ["CON-1", "CON-9"] },
    });
    expect(which).toEqual([{ step: "RecordContact", id: "CON-1" }]);
    expect(missing).toEqual([]);
    expect(variables.input.contactIds[0]).toBe(returnedBy("RecordContact"));
  });

  it("names each step that has not returned an id yet, once", () => {
    const variables = { a: returnedBy("OpenEnquiry"), b: [returnedBy("OpenEnquiry")] };
    expect(fillReturnedIds(variables, new Map()).missing).toEqual(["OpenEnquiry"]);
    expect(stepsNamedIn(variables)).toEqual(["OpenEnquiry"]);
    expect(fillReturnedIds(undefined, new Map())).toEqual({
      variables: undefined,
      filled: [],
      missing: [],
    });
  });

  it("remembers the id of an answer's single root field, under the operation's name", () => {
    const returned = new Map<string, string>();
    expect(
      rememberReturnedId("RecordContact", { data: { recordContact: { id: "CON-1" } } }, returned),
    ).toBe("CON-1");
    expect(
      rememberReturnedId("OpenEnquiry", { data: { openEnquiry: { id: "ENQ-2004" } } }, returned),
    ).toBe("ENQ-2004");
    // Nothing to remember: a refusal, two root fields, no id, no operation name.
    rememberReturnedId("RecordContact", { data: null, errors: [{ message: "no" }] }, returned);
    rememberReturnedId("RecordContact", { data: { a: { id: "X" }, b: { id: "Y" } } }, returned);
    rememberReturnedId("RecordContact", { data: { recordContact: { concern: "x" } } }, returned);
    rememberReturnedId(undefined, { data: { recordContact: { id: "CON-2" } } }, returned);
    expect([...returned]).toEqual([
      ["RecordContact", "CON-1"],
      ["OpenEnquiry", "ENQ-2004"],
    ]);
  });
});
