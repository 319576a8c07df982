import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { supergraphFile } from "../compose/schema-files.ts";
import { Authority } from "./ability.ts";
import { createJudge, type RequestAuthorization, takesPart } from "./judge.ts";
import { loadPolicies } from "./policy/load.ts";

const { policy } = loadPolicies({ supergraphSdl: readFileSync(supergraphFile, "utf8") });
if (!policy) throw new Error("the shipped policies do not load");
const authority = new Authority(policy);

// A police officer asking about a health field that the agreement gives police in an enquiry
// only. Each case changes one fact of the purpose, and only that fact decides.
const officer = (
  enquiry: Partial<RequestAuthorization["enquiry"]> | undefined,
  agency = "police",
) =>
  ({
    roles: ["police_mash_officer"],
    agency,
    enquiry: enquiry && {
      id: "E",
      open: true,
      subjects: new Set(["S-1"]),
      participants: new Set(["childrens-services", "police"]),
      ...enquiry,
    },
    breakGlass: false,
  }) as RequestAuthorization;

const seesGp = (request: RequestAuthorization) => {
  try {
    createJudge(authority, request).check("HealthSection", "gpPractice", {}, "S-1");
    return true;
  } catch {
    return false;
  }
};

describe("purpose is earned", () => {
  it("grants the enquiry's purpose to an agency taking part in it", () => {
    expect(takesPart(officer({}))).toBe(true);
    expect(seesGp(officer({}))).toBe(true);
  });

  it.each([
    [
      "the agency was not asked (or was released)",
      officer({ participants: new Set(["childrens-services"]) }),
    ],
    ["the requester has no agency", { ...officer({}), agency: undefined }],
    ["the enquiry is closed", officer({ open: false })],
    ["no enquiry is stated", officer(undefined)],
  ])("grants nothing when %s", (_why, request) => {
    expect(takesPart(request)).toBe(false);
    expect(seesGp(request)).toBe(false);
  });

  it("still needs the enquiry to link the person", () => {
    const judge = createJudge(authority, officer({}));
    expect(() => judge.check("HealthSection", "gpPractice", {}, "S-2")).toThrow();
  });
});
