import { readFileSync } from "node:fs";
import { buildASTSchema, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { Authority } from "../authz/ability.ts";
import type { RequestAuthorization } from "../authz/judge.ts";
import { defaultPoliciesDir, loadPolicyTexts, readPolicyDir } from "../authz/policy/load.ts";
import type { PolicySet } from "../authz/policy/types.ts";
import { helperAlias } from "../authz/rewrite.ts";
import { supergraphFile } from "../compose/schema-files.ts";
import { agencyTextOf, withAgencyText } from "./policy-texts.ts";
import { createShadow, type ObservedRequest, type ShadowCandidate } from "./shadow.ts";

const supergraphSdl = readFileSync(supergraphFile, "utf8");
const schema = buildASTSchema(parse(supergraphSdl), { assumeValidSDL: true });
const { files } = readPolicyDir(defaultPoliciesDir);
const live = new Authority(loadPolicyTexts({ files, supergraphSdl }).policy as PolicySet);
const police = agencyTextOf(files, "police") as string;
const NURSE = "    roles: [health_safeguarding_nurse]\n    requires: { enquiry: true }";

function candidate(to: string): Authority {
  const loaded = loadPolicyTexts({
    files: withAgencyText(files, "police", police.replace(NURSE, to)),
    supergraphSdl,
  });
  expect(loaded.problems).toEqual([]);
  return new Authority(loaded.policy as PolicySet);
}
/** The nurse loses the incident facts. */
const narrower = candidate("    roles: [social_worker]\n    requires: { enquiry: true }");
/** The nurse gets incidents in full. */
const broader = new Authority({
  ...live.policy,
  version: "broader",
  rules: live.policy.rules.map((r) =>
    r.id === "police-incident-facts-for-health"
      ? {
          ...r,
          targets: r.targets.map((t) =>
            t.type === "PoliceIncident" ? { ...t, fields: [...t.fields, "summary"] } : t,
          ),
        }
      : r,
  ),
});

const nurse: RequestAuthorization = {
  roles: ["health_safeguarding_nurse"],
  agency: "health",
  enquiry: {
    id: "ENQ-1",
    open: true,
    subjects: new Set(["S-1"]),
    participants: new Set(["health"]),
  },
  breakGlass: false,
};
const incident = (id: string) => ({ id, childPresent: true, summary: "narrative" });
const request: ObservedRequest = {
  schema,
  document: parse(
    '{ subject(id: "S-1") { id police { known incidents { id childPresent summary } } } }',
  ),
  operationName: undefined,
  variables: undefined,
  fetched: {
    data: {
      subject: {
        id: "S-1",
        [helperAlias("Subject", "id")]: "S-1",
        police: { known: true, incidents: [incident("I-1"), incident("I-2")] },
      },
    },
  },
  authorization: nurse,
  live,
};

describe("shadow mode", () => {
  it("counts what each proposal would release or withhold, enforcing nothing", () => {
    const candidates: ShadowCandidate[] = [
      { versionId: "police-v1", authority: narrower },
      { versionId: "police-v2", authority: broader },
    ];
    const shadow = createShadow({ candidates: () => candidates });
    shadow.observe(request);
    shadow.observe(request);
    expect(shadow.report("police-v1")).toEqual({
      versionId: "police-v1",
      requestsObserved: 2,
      errors: 0,
      differences: expect.arrayContaining([
        {
          role: "health_safeguarding_nurse",
          field: "PoliceIncident.childPresent",
          change: "WOULD_WITHHOLD",
          count: 4,
        },
        {
          role: "health_safeguarding_nurse",
          field: "PoliceIncident.id",
          change: "WOULD_WITHHOLD",
          count: 4,
        },
        {
          role: "health_safeguarding_nurse",
          field: "PoliceSection.incidents",
          change: "WOULD_WITHHOLD",
          count: 2,
        },
      ]),
    });
    expect(shadow.report("police-v1").differences).toHaveLength(3);
    expect(shadow.report("police-v2").differences).toEqual([
      {
        role: "health_safeguarding_nurse",
        field: "PoliceIncident.summary",
        change: "WOULD_RELEASE",
        count: 4,
      },
    ]);
    expect(shadow.report("police-v9")).toEqual({
      versionId: "police-v9",
      requestsObserved: 0,
      errors: 0,
      differences: [],
    });
  });

  it("never throws into the request path, and does nothing without candidates", () => {
    const seen: unknown[] = [];
    let asked = 0;
    const broken = { versionId: "x", authority: {} as Authority };
    const shadow = createShadow({
      candidates: () => {
        asked += 1;
        return asked === 1 ? [] : [broken];
      },
      onError: (e) => seen.push(e),
    });
    shadow.observe({ ...request, fetched: { data: null } });
    expect(() => shadow.observe(request)).not.toThrow();
    expect(shadow.report("x")).toMatchObject({ requestsObserved: 0, errors: 1 });
    expect(seen).toHaveLength(1);
    const failing = createShadow({
      candidates: () => {
        throw new Error("store down");
      },
    });
    expect(() => failing.observe(request)).not.toThrow();
  });
});
