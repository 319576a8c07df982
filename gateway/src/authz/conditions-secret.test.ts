import type { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import { composeSupergraph } from "../compose/compose.ts";
import { readSchemaFiles } from "../compose/schema-files.ts";
import { Authority } from "./ability.ts";
import { createJudge, type RequestAuthorization } from "./judge.ts";
import { loadPolicyTexts, readPolicyDir } from "./policy/load.ts";

// The shipped agreement over the schema as it is now: the cases below are its own rules.
const { policy, problems } = loadPolicyTexts({
  files: readPolicyDir(new URL("../../../policies", import.meta.url).pathname).files,
  supergraphSdl: composeSupergraph(readSchemaFiles()),
});
if (!policy) throw new Error(problems.map((p) => p.message).join("\n"));
const authority = new Authority(policy);

const PERSON = "S-1003";
/** In an open enquiry that links the person and in which the requester's agency takes part. */
const inEnquiry = (roles: string[], agency: string): RequestAuthorization => ({
  roles,
  agency,
  enquiry: {
    id: "ENQ-1",
    open: true,
    subjects: new Set([PERSON]),
    participants: new Set([agency]),
  },
  breakGlass: false,
});
const socialWorker = inEnquiry(["social_worker"], "childrens-services");
const police = inEnquiry(["police_mash_officer"], "police");

function refusal(
  request: RequestAuthorization,
  type: string,
  field: string,
  object: Record<string, unknown>,
): GraphQLError | undefined {
  try {
    createJudge(authority, request).check(type, field, object, PERSON);
    return undefined;
  } catch (error) {
    return error as GraphQLError;
  }
}

describe("a condition the requester cannot read stays secret", () => {
  it("conceals a list item whose condition reads a value the requester may not read", () => {
    const judge = createJudge(authority, socialWorker);
    // Handling code C: the code itself is withheld from a social worker, so the item is left out.
    expect(judge.concealment?.("Intelligence", { handlingCode: "C" }, PERSON)).toEqual({
      field: "handlingCode",
      rule: "police-intelligence-handling-c",
    });
    // Any code the agreement does not give them is the same: it is not "C" that decides.
    expect(judge.concealment?.("Intelligence", { handlingCode: "X" }, PERSON)).toEqual({
      field: "handlingCode",
      rule: "default-deny",
    });
    expect(judge.concealment?.("Intelligence", { handlingCode: "P" }, PERSON)).toBeUndefined();
    // The police read every handling code: nothing is concealed from them.
    expect(
      createJudge(authority, police).concealment?.("Intelligence", { handlingCode: "C" }, PERSON),
    ).toBeUndefined();
    // A condition on a value the requester reads (sealed) conceals nothing: it is withheld openly.
    expect(judge.concealment?.("Subject", { sealed: true }, PERSON)).toBeUndefined();
  });

  it("names a conditional rule only to a requester who can read what it read", () => {
    const hidden = refusal(socialWorker, "Intelligence", "summary", { handlingCode: "C" });
    expect(hidden?.extensions).toMatchObject({ rule: "default-deny", owner: "police" });
    expect(String(hidden?.extensions.reason)).not.toMatch(/handling code/i);
    // Withheld for another code it may not read, the refusal reads exactly the same.
    expect(
      refusal(socialWorker, "Intelligence", "summary", { handlingCode: "X" })?.extensions,
    ).toEqual(hidden?.extensions);
    // The sealed flag is readable, so its rule and reason are given.
    const sealed = refusal(socialWorker, "Subject", "address", { sealed: true });
    expect(sealed?.extensions).toMatchObject({ rule: "mash-sealed-record" });
    expect(String(sealed?.extensions.reason)).toMatch(/sealed/);
  });
});
