import type { GraphQLFormattedError } from "graphql";
import { describe, expect, it } from "vitest";
import { isWithheld, pathOf, unavailableAgencies, withheldFields } from "./error-contract.ts";

const withheld = (path: (string | number)[], owner = "police"): GraphQLFormattedError => ({
  message: "Withheld",
  path,
  extensions: { code: "UNAUTHORIZED_FIELD_OR_TYPE", rule: "r-1", reason: "Ask the owner.", owner },
});

const POLICE_DESK = {
  agency: "police",
  name: "Police MASH desk",
  phone: "01632 960001",
  email: "mash.police@example.invalid",
};

const errors: GraphQLFormattedError[] = [
  {
    ...withheld(["subject", "police", "intelligence", 0, "source"]),
    extensions: { ...withheld([]).extensions, contact: POLICE_DESK },
  },
  withheld(["subject", "address"], "childrens-services"),
  {
    message: "Health is not answering: this part is missing, not withheld. Try again shortly.",
    path: ["subject", "health"],
    extensions: { code: "AGENCY_UNAVAILABLE", agency: "health" },
  },
  {
    message: "Could not reach education",
    extensions: { code: "AGENCY_UNAVAILABLE", subgraph: "education" },
  },
  {
    message: "Something else",
    path: ["subject", "sealed"],
    extensions: { code: "BAD_USER_INPUT" },
  },
];

describe("the error contract helpers", () => {
  it("withheldFields lists only withheld fields, each with its dotted path, rule, reason and owner", () => {
    expect(withheldFields(errors)).toEqual([
      {
        path: "subject.police.intelligence.0.source",
        segments: ["subject", "police", "intelligence", 0, "source"],
        rule: "r-1",
        reason: "Ask the owner.",
        owner: "police",
        contact: POLICE_DESK,
      },
      {
        path: "subject.address",
        segments: ["subject", "address"],
        rule: "r-1",
        reason: "Ask the owner.",
        owner: "childrens-services",
        contact: undefined,
      },
    ]);
    expect(withheldFields(undefined)).toEqual([]);
  });

  it("withheldFields gives the contact point only in the contract's shape", () => {
    const named = (contact: unknown) =>
      withheldFields([
        { ...withheld(["x"]), extensions: { ...withheld([]).extensions, contact } },
      ])[0]?.contact;
    expect(named({ agency: "health", name: "Nurse desk" })).toEqual({
      agency: "health",
      name: "Nurse desk",
    });
    expect(named({ agency: "health", name: "Nurse desk", phone: 7, extra: "x" })).toEqual({
      agency: "health",
      name: "Nurse desk",
    });
    expect(named({ agency: "health" })).toBeUndefined();
    expect(named("Nurse desk")).toBeUndefined();
    expect(named(null)).toBeUndefined();
  });

  it.each([
    ["subject.address", true],
    ["subject.address.postcode", true],
    [["subject", "police", "intelligence", 0, "source"], true],
    ["subject.police.intelligence.0.source", true],
    ["subject.police.intelligence.1.source", false],
    ["subject.police.intelligence.0", false],
    ["subject.health", false],
    ["subject.sealed", false],
    ["subject.addressLine", false],
  ] as const)(
    "isWithheld(%j) is %s: the field or one it sits in was withheld",
    (path, expected) => {
      expect(isWithheld(errors, path)).toBe(expected);
    },
  );

  it("unavailableAgencies names each missing agency, where it was placed", () => {
    expect(unavailableAgencies(errors)).toEqual([
      {
        agency: "health",
        path: "subject.health",
        message: expect.stringContaining("not withheld"),
      },
      { agency: "education", path: undefined, message: "Could not reach education" },
    ]);
  });

  it("pathOf joins segments with dots, list positions as numbers", () => {
    expect(pathOf(["subject", "police", "incidents", 2, "summary"])).toBe(
      "subject.police.incidents.2.summary",
    );
  });
});
