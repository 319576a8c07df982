import { describe, expect, it } from "vitest";
import { composeSupergraph } from "../compose/compose.ts";
import { readSchemaFiles } from "../compose/schema-files.ts";
import type { GatewayContext } from "../request/context.ts";
import { callerOf } from "../server/subgraph-context.ts";
import { Authority } from "./ability.ts";
import type { RequestAuthorization, StatedEnquiry } from "./judge.ts";
import { MAX_REACH_TABLES, searchAccessFor } from "./match-rules.ts";
import { loadPolicyTexts, readPolicyDir } from "./policy/load.ts";

// Whom each search argument may match is the agreement's own decision for the field it reads,
// per person: what policies/mash.yaml gives each role outside an enquiry, within one, and when
// the glass is broken, for sealed people and others.

const supergraphSdl = composeSupergraph(readSchemaFiles());
const shipped = readPolicyDir(new URL("../../../policies", import.meta.url).pathname).files;

function authorityOf(edit?: { from: string; to: string }): Authority {
  const files = shipped.map((f) => {
    if (f.name !== "mash.yaml" || !edit) return f;
    if (!f.text.includes(edit.from)) throw new Error("mash.yaml changed: update this test");
    return { ...f, text: f.text.replace(edit.from, edit.to) };
  });
  const { policy, problems } = loadPolicyTexts({ files, supergraphSdl });
  if (!policy) throw new Error(problems.map((p) => p.message).join("\n"));
  return new Authority(policy);
}
const authority = authorityOf();

const enq2002: StatedEnquiry = {
  id: "ENQ-2002",
  open: true,
  subjects: new Set(["S-1005"]),
  participants: new Set(["childrens-services", "police", "education"]),
};
const request = (
  roles: string[],
  agency: string,
  more: Partial<RequestAuthorization> = {},
): RequestAuthorization => ({ roles, agency, enquiry: undefined, breakGlass: false, ...more });

const yes = { flagged: true, unflagged: true };
const no = { flagged: false, unflagged: false };
const unsealed = { flagged: false, unflagged: true };
const table = (search?: { fields: Record<string, Record<string, unknown>> }) =>
  search?.fields["Query.searchSubjects"];

describe("whom a search argument may match", () => {
  it("outside an enquiry: name and date of birth of anyone; no address or NHS number", () => {
    const access = searchAccessFor(
      authority,
      request(["social_worker"], "childrens-services"),
      "mash",
    );
    expect(access?.linked).toEqual([]);
    // What linked people would match on is said too (a refusal names the enquiry as the way),
    // but no one is linked.
    expect(table(access)).toEqual({
      name: { outside: yes, linked: yes },
      dateOfBirth: { outside: yes, linked: yes },
      nhsNumber: { outside: no, linked: unsealed },
      postcode: { outside: no, linked: unsealed },
    });
  });

  it("in an enquiry the agency takes part in: the address and NHS number of linked, unsealed people", () => {
    const access = searchAccessFor(
      authority,
      request(["social_worker"], "childrens-services", { enquiry: enq2002 }),
      "mash",
    );
    expect(access?.linked).toEqual(["S-1005"]);
    expect(table(access)).toMatchObject({
      name: { outside: yes, linked: yes },
      nhsNumber: { outside: no, linked: unsealed },
      postcode: { outside: no, linked: unsealed },
    });
  });

  it("breaking the glass in an enquiry: sealed people too, and only those the enquiry links", () => {
    const access = searchAccessFor(
      authority,
      request(["mash_manager"], "childrens-services", { enquiry: enq2002, breakGlass: true }),
      "mash",
    );
    expect(table(access)).toMatchObject({
      nhsNumber: { outside: no, linked: yes },
      postcode: { outside: no, linked: yes },
    });
  });

  it("names no linked people when the agency takes no part in the stated enquiry", () => {
    const access = searchAccessFor(
      authority,
      request(["probation_officer"], "probation", { enquiry: enq2002 }),
      "mash",
    );
    expect(access?.linked).toEqual([]);
    expect(table(access)).toMatchObject({ postcode: { outside: no, linked: unsealed } });
  });

  it("follows the agreement, not the engine: a rule giving unsealed addresses outside an enquiry", () => {
    const edited = authorityOf({
      from: '      Subject: [address, nhsNumber, household]\n      Address: "*"',
      to: '      Subject: [address, nhsNumber, household]\n      Address: "*"\n    legalBasis: x\n  - id: test-address-for-all\n    description: x\n    roles: [practitioners]\n    fields:\n      Subject: [address]\n      Address: [postcode]',
    });
    const access = searchAccessFor(
      edited,
      request(["social_worker"], "childrens-services"),
      "mash",
    );
    // The sealed rule, written later in the file, still withholds sealed addresses.
    expect(table(access)).toMatchObject({ postcode: { outside: unsealed, linked: unsealed } });
  });

  it("tells only the hub, in its signed context", () => {
    const authorization = request(["social_worker"], "childrens-services", { enquiry: enq2002 });
    // As the authorization stage sets it up (pipeline/use-authorization.ts).
    const context: Partial<GatewayContext> = {
      requestId: "r-1",
      principal: {
        id: "sw.patel",
        name: "S Patel",
        agency: "childrens-services",
        roles: ["social_worker"],
      },
      enquiryId: "ENQ-2002",
      authorization,
      searchAccess: (subgraph) => searchAccessFor(authority, authorization, subgraph),
    };
    expect(callerOf(context, "mash").search?.linked).toEqual(["S-1005"]);
    expect(callerOf(context, "police").search).toBeUndefined();
    expect(searchAccessFor(authority, authorization, "police")).toBeUndefined();
    // No policy for the request: the hub is told nothing, and matches no one.
    expect(callerOf({ ...context, searchAccess: undefined }, "mash").search).toBeUndefined();
  });
});

describe("the tables kept per policy", () => {
  it(`keep ${MAX_REACH_TABLES} role sets at most, dropping the least recently used`, () => {
    // A token may carry any roles: each distinct set would otherwise be kept for good.
    const own = new Authority(authority.policy);
    const tableFor = (roles: string[]) =>
      searchAccessFor(own, request(roles, "childrens-services"), "mash")?.fields;
    const social = tableFor(["social_worker"]);
    expect(tableFor(["social_worker"])).toBe(social);
    const made = Array.from({ length: MAX_REACH_TABLES - 1 }, (_, i) =>
      tableFor(["social_worker", `made-up-${i}`]),
    );
    // All held (the bound is just reached); the social worker's is now the most recently used.
    expect(tableFor(["social_worker"])).toBe(social);
    expect(tableFor(["social_worker", "made-up-0"])).toBe(made[0]);
    tableFor(["social_worker", "one-more"]);
    // Past the bound the least recently used went (made-up-1), not the ones just used.
    expect(tableFor(["social_worker"])).toBe(social);
    expect(tableFor(["social_worker", "made-up-0"])).toBe(made[0]);
    expect(tableFor(["social_worker", "made-up-2"])).toBe(made[2]);
    const again = tableFor(["social_worker", "made-up-1"]);
    expect(again).toEqual(made[1]);
    expect(again === made[1]).toBe(false);
  });
});
