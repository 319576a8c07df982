import type { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import { composeSupergraph } from "../compose/compose.ts";
import { readSchemaFiles } from "../compose/schema-files.ts";
import { Authority } from "./ability.ts";
import { createJudge, type RequestAuthorization, WITHHELD } from "./judge.ts";
import { loadPolicyTexts, readPolicyDir } from "./policy/load.ts";

// Composed from the subgraphs' schema files, so the test judges the schema as it is now.
const supergraphSdl = composeSupergraph(readSchemaFiles());
const shipped = readPolicyDir(new URL("../../../policies", import.meta.url).pathname).files;

function authorityOf(edit?: { file: string; from: string; to: string }): Authority {
  const files = shipped.map((f) => {
    if (f.name !== edit?.file) return f;
    if (!f.text.includes(edit.from)) throw new Error(`${edit.file} changed: update this test`);
    return { ...f, text: f.text.replace(edit.from, edit.to) };
  });
  const { policy, problems } = loadPolicyTexts({ files, supergraphSdl });
  if (!policy) throw new Error(problems.map((p) => p.message).join("\n"));
  return new Authority(policy);
}
const authority = authorityOf();

const as = (roles: string[], agency?: string): RequestAuthorization => ({
  roles,
  agency,
  enquiry: undefined,
  breakGlass: false,
});

/** The withheld-field error for one field of one object, or undefined when it may be seen. */
function refusal(
  request: RequestAuthorization,
  type: string,
  field: string,
  object: Record<string, unknown> = {},
  judgeOf = authority,
): GraphQLError | undefined {
  try {
    createJudge(judgeOf, request).check(type, field, object, undefined);
    return undefined;
  } catch (error) {
    return error as GraphQLError;
  }
}

describe("a mutation the agreement does not give a role", () => {
  it("is refused with the roles that may call it, from the rule that gives it", () => {
    const error = refusal(as(["police_mash_officer"], "police"), "Mutation", "openEnquiry");
    expect(error?.extensions).toMatchObject({ code: WITHHELD, rule: "default-deny" });
    expect(error?.extensions.reason).toBe(
      "The sharing agreement gives Mutation.openEnquiry only to social_worker, mash_manager and adult_social_worker.",
    );
    expect(error?.message).toBe(error?.extensions.reason);
    expect(refusal(as(["social_worker"]), "Mutation", "closeEnquiry")?.extensions.reason).toBe(
      "The sharing agreement gives Mutation.closeEnquiry only to mash_manager.",
    );
  });

  it("is not refused to a role the agreement gives it", () => {
    expect(refusal(as(["adult_social_worker"]), "Mutation", "openEnquiry")).toBeUndefined();
    expect(refusal(as(["mash_manager"]), "Mutation", "closeEnquiry")).toBeUndefined();
    // A user with several roles is refused only when none of them has it.
    expect(
      refusal(as(["police_mash_officer", "social_worker"]), "Mutation", "openEnquiry"),
    ).toBeUndefined();
  });

  it("follows the agreement as edited, groups expanded, not names in code", () => {
    const edited = authorityOf({
      file: "mash.yaml",
      from: "    roles: [mash_manager]\n    fields:\n      Mutation: [closeEnquiry, recordReferrerFeedback]",
      to: "    roles: [adult_social_worker, mash_manager]\n    fields:\n      Mutation: [closeEnquiry, recordReferrerFeedback]",
    });
    expect(
      refusal(as(["social_worker"]), "Mutation", "closeEnquiry", {}, edited)?.extensions.reason,
    ).toBe(
      "The sharing agreement gives Mutation.closeEnquiry only to mash_manager and adult_social_worker.",
    );
    expect(refusal(as(["adult_social_worker"]), "Mutation", "closeEnquiry", {}, edited)).toBe(
      undefined,
    );
    // A governance officer is no practitioner: a rule for the group names each of its roles.
    expect(
      refusal(as(["governance_officer"]), "Mutation", "recordContact")?.extensions.reason,
    ).toBe(
      "The sharing agreement gives Mutation.recordContact only to police_mash_officer, social_worker, mash_manager, health_safeguarding_nurse, education_safeguarding_lead, probation_officer and adult_social_worker.",
    );
  });

  it("keeps the enquiry hint for a role an enquiry would give the field, and a deny rule's reason", () => {
    const address = refusal(as(["police_mash_officer"], "police"), "Subject", "address");
    expect(address?.extensions.reason).toMatch(/without an open enquiry that links this person/);
    const sealed = createJudge(authority, {
      ...as(["social_worker"], "childrens-services"),
      enquiry: {
        id: "E",
        open: true,
        subjects: new Set(["S-1"]),
        participants: new Set(["childrens-services"]),
      },
    });
    expect(() => sealed.check("Subject", "address", { sealed: true }, "S-1")).toThrow(
      /This record is sealed/,
    );
  });
});

describe("an enquiry's details", () => {
  const nurse = as(["health_safeguarding_nurse"], "health");

  it("are seen by an agency taking part, and only that it exists by any other", () => {
    for (const field of ["id", "status", "takesPart"]) {
      expect(refusal(nurse, "Enquiry", field, { takesPart: false }), field).toBeUndefined();
    }
    for (const field of ["reason", "subjects", "research", "contacts", "timeline", "ragHistory"]) {
      expect(refusal(nurse, "Enquiry", field, { takesPart: true }), field).toBeUndefined();
      const error = refusal(nurse, "Enquiry", field, { takesPart: false });
      expect(error?.extensions, field).toMatchObject({ code: WITHHELD, rule: "default-deny" });
      // The hub not saying (no agency in the context, say) withholds as "no" does.
      expect(refusal(nurse, "Enquiry", field, {})?.extensions.reason).toBe(
        error?.extensions.reason,
      );
    }
  });

  it("are none of a governance officer's business, existence included", () => {
    const officer = as(["governance_officer"], "police");
    for (const field of ["id", "reason"]) {
      expect(refusal(officer, "Enquiry", field, { takesPart: true })?.extensions.code).toBe(
        WITHHELD,
      );
    }
    expect(refusal(officer, "Query", "enquiries")?.extensions.reason).toMatch(
      /^The sharing agreement gives Query\.enquiries only to police_mash_officer, .* and adult_social_worker\.$/,
    );
  });

  it("are told to the front doors whole, and of a contact only the concern to others", () => {
    expect(refusal(as(["adult_social_worker"]), "Contact", "referrer")).toBeUndefined();
    expect(refusal(nurse, "Contact", "concern")).toBeUndefined();
    expect(refusal(nurse, "Contact", "referrer")?.extensions.reason).toBe(
      "The sharing agreement gives Contact.referrer only to social_worker, mash_manager and adult_social_worker.",
    );
    expect(refusal(nurse, "Query", "contacts")?.extensions.code).toBe(WITHHELD);
    expect(refusal(as(["social_worker"]), "Query", "mashPerformance")?.extensions.reason).toBe(
      "The sharing agreement gives Query.mashPerformance only to mash_manager.",
    );
  });
});

describe("judges shared by the requests stating one enquiry", () => {
  const enquiry = (subjects: string[], open = true) => ({
    id: "ENQ-1",
    open,
    subjects: new Set(subjects),
    participants: new Set(["childrens-services"]),
  });
  const stating = (e: ReturnType<typeof enquiry>): RequestAuthorization => ({
    roles: ["social_worker"],
    agency: "childrens-services",
    enquiry: e,
    breakGlass: false,
  });

  it("is one judge while the hub's answer is one object, and a new one for a new answer", () => {
    const first = enquiry(["S-1"]);
    const judge = createJudge(authority, stating(first));
    expect(createJudge(authority, stating(first))).toBe(judge);
    expect(judge.inEnquiry("S-1")).toBe(true);
    // The hub's answer after a change (the cache forgot it): its people, not the old ones.
    const changed = enquiry(["S-2"]);
    const next = createJudge(authority, stating(changed));
    expect(next).not.toBe(judge);
    expect(next.inEnquiry("S-1")).toBe(false);
    expect(next.inEnquiry("S-2")).toBe(true);
    // Closed: no one is in it, whatever object the answer is.
    const closed = createJudge(authority, stating(enquiry(["S-1"], false)));
    expect(closed.inEnquiry("S-1")).toBe(false);
    // Without an enquiry: one judge for the role set, in no enquiry.
    const none = createJudge(authority, as(["social_worker"], "childrens-services"));
    expect(createJudge(authority, as(["social_worker"], "childrens-services"))).toBe(none);
    expect(none.inEnquiry("S-1")).toBe(false);
  });
});
