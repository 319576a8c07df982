import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "@mash/kit";
import { buildSchema, type ExecutionResult, type GraphQLSchema, graphql } from "graphql";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { defaultPoliciesDir } from "../authz/policy/load.ts";
import { supergraphFile } from "../compose/schema-files.ts";
import { loadGatewayConfig } from "../config.ts";
import { governanceResolvers } from "./mount.ts";
import type { Officer } from "./officer.ts";
import { type PolicyRuntime, startPolicyRuntime } from "./policy-runtime.ts";
import { attachResolvers, type GovernanceContext } from "./resolvers.ts";

const supergraphSdl = readFileSync(supergraphFile, "utf8");
const sdl = readFileSync(new URL("./schema.graphql", import.meta.url), "utf8");
const police = readFileSync(join(defaultPoliciesDir, "police.yaml"), "utf8");
const officer = (agency: string, title: string): Officer => ({
  id: `ig.${agency}`,
  name: "Officer",
  agency,
  agencyTitle: title,
  roles: ["governance_officer"],
});
const igPolice = officer("police", "the police");
const igHealth = officer("health", "health (NHS)");

const SIMULATE = `query($input: SimulationInput!) { simulate(input: $input) {
  problems { line message } type roles purpose inEnquiry breakGlass listed unlistedBy
  attributes { field value } fields { field visible rule reason toldRule } } }`;
const IMPACT = `query($text: String!) { impact(text: $text) {
  problems { message } affectedSubjects { type subjects fewerThan }
  caseChanges { name passedBefore passedAfter nowVisible nowWithheld } } }`;

type Field = { field: string; visible: boolean; rule: string; reason: string; toldRule: string };
type Sim = {
  problems: { message: string }[];
  inEnquiry: boolean;
  breakGlass: boolean;
  listed: boolean;
  unlistedBy: string | null;
  attributes: { field: string; value: string | null }[];
  fields: Field[];
};

/** The governance API's resolvers over a policies folder (a copy, so its tests can be broken). */
async function governance(policiesDir: string, counts: Record<string, number>) {
  const dataDir = mkdtempSync(join(tmpdir(), "mash-simulate-"));
  const config = { ...loadGatewayConfig({}), policiesDir };
  const logger = createLogger("test", "silent");
  const runtime: PolicyRuntime = await startPolicyRuntime({
    config,
    dataDir,
    supergraphSdl,
    logger,
    watch: false,
  });
  const schema: GraphQLSchema = attachResolvers(
    buildSchema(sdl),
    ...governanceResolvers({
      auditStore: undefined,
      runtime,
      supergraphSdl,
      policiesDir,
      subjectCounts: async () => counts,
      impactMinCount: 5,
      logger,
    }),
  );
  const run = async <T = Record<string, unknown>>(
    as: Officer,
    source: string,
    variableValues: Record<string, unknown>,
  ) => {
    const contextValue: GovernanceContext = {
      requestId: "r1",
      officer: as,
      recordStep: async () => {},
    };
    return (await graphql({ schema, source, variableValues, contextValue })) as ExecutionResult<T>;
  };
  return {
    run,
    async stop() {
      await runtime.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

describe("simulation on hypothetical records, through the governance API", () => {
  let api: Awaited<ReturnType<typeof governance>>;
  const fetches = vi.fn();
  beforeAll(async () => {
    api = await governance(defaultPoliciesDir, { PoliceIncident: 3, PoliceSection: 40 });
  });
  afterAll(async () => {
    await api?.stop();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  const simulate = async (as: Officer, input: Record<string, unknown>) => {
    // Nothing may leave the gateway: any fetch at all is counted and refused.
    fetches.mockClear();
    vi.stubGlobal("fetch", (...args: unknown[]) => {
      fetches(...args);
      return Promise.reject(new Error("a simulation must not fetch"));
    });
    const result = await api.run(as, SIMULATE, { input });
    expect(fetches).not.toHaveBeenCalled();
    return result as ExecutionResult<{ simulate: Sim }>;
  };
  const field = (sim: Sim | undefined, name: string) => sim?.fields.find((f) => f.field === name);

  it("judges a code C item for a social worker in an enquiry as the filter would: left out, neutral refusal", async () => {
    const { data, errors } = await simulate(igPolice, {
      role: "social_worker",
      purpose: "IN_ENQUIRY",
      type: "Intelligence",
      attributes: [{ field: "handlingCode", value: "C" }],
    });
    expect(errors).toBeUndefined();
    const sim = data?.simulate;
    expect(sim).toMatchObject({
      inEnquiry: true,
      listed: false,
      unlistedBy: "police-intelligence-handling-c",
    });
    expect(sim?.attributes).toEqual([{ field: "handlingCode", value: "C" }]);
    // The officer sees the deciding rule; the practitioner would be told only default-deny.
    expect(field(sim, "Intelligence.summary")).toMatchObject({
      visible: false,
      rule: "police-intelligence-handling-c",
      toldRule: "default-deny",
    });
    expect(field(sim, "Intelligence.id")).toMatchObject({
      visible: true,
      rule: "police-intelligence-items",
    });
    // Only the police's own fields, every one of them.
    expect(sim?.fields.map((f) => f.field).sort()).toEqual(
      ["grading", "handlingCode", "id", "source", "summary"].map((f) => `Intelligence.${f}`),
    );
  });

  it("gives code P to the same social worker, names the rule, and keeps the source back", async () => {
    const sim = (
      await simulate(igPolice, {
        roles: ["social_worker"],
        purpose: "IN_ENQUIRY",
        type: "Intelligence",
        attributes: [{ field: "handlingCode", value: "P" }],
      })
    ).data?.simulate;
    expect(sim?.listed).toBe(true);
    expect(field(sim, "Intelligence.summary")).toMatchObject({
      visible: true,
      rule: "police-intelligence-handling-p",
      reason: "In an enquiry, children's social care sees intelligence with handling code P.",
    });
    expect(field(sim, "Intelligence.source")).toMatchObject({
      visible: false,
      rule: "police-intelligence-sources",
      toldRule: "police-intelligence-sources",
      reason: "Intelligence sources stay with the police.",
    });
  });

  it("honours break glass only for a role that may break it, and purpose only under a person", async () => {
    const manager = (
      await simulate(igPolice, {
        role: "mash_manager",
        purpose: "BREAK_GLASS",
        type: "PoliceSection",
      })
    ).data?.simulate;
    expect(manager).toMatchObject({ inEnquiry: true, breakGlass: true });
    const worker = (
      await simulate(igPolice, {
        role: "social_worker",
        purpose: "BREAK_GLASS",
        type: "PoliceSection",
      })
    ).data?.simulate;
    expect(worker).toMatchObject({ inEnquiry: true, breakGlass: false });
    // A governance officer belongs to no agency, so no enquiry is theirs to take part in.
    const officerRole = (
      await simulate(igPolice, {
        role: "governance_officer",
        purpose: "IN_ENQUIRY",
        type: "PoliceSection",
      })
    ).data?.simulate;
    expect(officerRole?.inEnquiry).toBe(false);
    expect(officerRole?.fields.every((f) => !f.visible)).toBe(true);
  });

  it("simulates a candidate text, and reports its problems instead of judging", async () => {
    const widened = police.replace(
      "conditions: { handlingCode: P }",
      "conditions: { handlingCode: { $in: [P, C] } }",
    );
    const sim = (
      await simulate(igPolice, {
        role: "social_worker",
        purpose: "IN_ENQUIRY",
        type: "Intelligence",
        attributes: [{ field: "handlingCode", value: "C" }],
        text: widened,
      })
    ).data?.simulate;
    expect(sim).toMatchObject({ problems: [] });
    // handling-c is written after handling-p: the deny still decides.
    expect(field(sim, "Intelligence.summary")?.visible).toBe(false);
    const broken = (
      await simulate(igPolice, { role: "social_worker", type: "Intelligence", text: "rules: [" })
    ).data?.simulate;
    expect(broken?.problems.length).toBeGreaterThan(0);
    expect(broken?.fields).toEqual([]);
  });

  it.each([
    [{ role: "wizard", type: "Intelligence" }, 'no role "wizard"'],
    [{ role: "social_worker", type: "MentalHealth" }, "is not a type with fields of police's"],
    [
      {
        role: "social_worker",
        type: "Intelligence",
        attributes: [{ field: "summary", value: "x" }],
      },
      "no rule reads Intelligence.summary in its conditions (they read handlingCode)",
    ],
    [
      {
        role: "social_worker",
        type: "Intelligence",
        attributes: [{ field: "handlingCode", value: "Q" }],
      },
      '"Q" is not a HandlingCode value for handlingCode (one of P, C)',
    ],
    [{ roles: ["social_worker"], role: "social_worker", type: "Intelligence" }, "not both"],
    [{ roles: ["social_worker", "health_safeguarding_nurse"], type: "Intelligence" }, "one agency"],
  ])("refuses bad input with BAD_USER_INPUT: %j", async (input, message) => {
    const { errors } = await simulate(igPolice, input);
    expect(errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(errors?.[0]?.message).toContain(message);
  });

  it("takes no person: a subject id is not part of the input", async () => {
    const { errors } = await api.run(igPolice, SIMULATE, {
      input: { role: "social_worker", type: "Intelligence", subjectId: "S-1003" },
    });
    expect(errors?.[0]?.message).toMatch(/subjectId/);
  });

  it("offers the agency's types, what their rules read, and its policy tests as examples", async () => {
    const { data, errors } = (await api.run(
      igPolice,
      `{ simulationOptions { testProblems { message } types { type fields
        attributes { field kind values } examples { name roles purpose attributes { field value } } } } }`,
      {},
    )) as ExecutionResult<{
      simulationOptions: {
        testProblems: unknown[];
        types: {
          type: string;
          attributes: { field: string; kind: string; values: string[] }[];
          examples: {
            name: string;
            purpose: string;
            attributes: { field: string; value: string }[];
          }[];
        }[];
      };
    }>;
    expect(errors).toBeUndefined();
    const options = data?.simulationOptions;
    expect(options?.testProblems).toEqual([]);
    expect(options?.types.map((t) => t.type).sort()).toEqual([
      "Intelligence",
      "PoliceIncident",
      "PoliceSection",
      "Subject",
    ]);
    const intelligence = options?.types.find((t) => t.type === "Intelligence");
    expect(intelligence?.attributes).toEqual([
      { field: "handlingCode", kind: "HandlingCode", values: ["P", "C"] },
    ]);
    expect(intelligence?.examples).toContainEqual({
      name: "handling code C intelligence is left out of a social worker's list, as if it did not exist",
      roles: ["social_worker"],
      purpose: "IN_ENQUIRY",
      attributes: [{ field: "handlingCode", value: "C" }],
    });
  });
});

describe("impact: small counts and the policy tests a change flips", () => {
  const narrowed = police.replace(
    "    roles: [health_safeguarding_nurse]\n    requires: { enquiry: true }",
    "    roles: [social_worker]\n    requires: { enquiry: true }",
  );

  it("shows a count under the threshold as fewer than it, and names the flipped cases", async () => {
    const api = await governance(defaultPoliciesDir, { PoliceIncident: 3, PoliceSection: 40 });
    try {
      const { data, errors } = (await api.run(igPolice, IMPACT, {
        text: narrowed,
      })) as ExecutionResult<{
        impact: { affectedSubjects: unknown[]; caseChanges: { name: string }[] };
      }>;
      expect(errors).toBeUndefined();
      expect(data?.impact.affectedSubjects).toEqual(
        expect.arrayContaining([
          { type: "PoliceIncident", subjects: null, fewerThan: 5 },
          { type: "PoliceSection", subjects: 40, fewerThan: null },
        ]),
      );
      expect(data?.impact.caseChanges).toEqual([
        {
          name: "in an enquiry a health nurse sees the facts of an incident but not its narrative",
          passedBefore: true,
          passedAfter: false,
          nowVisible: [],
          nowWithheld: [
            "PoliceIncident.id",
            "PoliceIncident.occurredAt",
            "PoliceIncident.category",
            "PoliceIncident.childPresent",
          ],
        },
        {
          name: "in an enquiry a health nurse sees incidents but not markers or intelligence",
          passedBefore: true,
          passedAfter: false,
          nowVisible: [],
          nowWithheld: ["PoliceSection.incidents"],
        },
      ]);
      // Health's officer gets health's cases, none of which this police text could change.
      const health = readFileSync(join(defaultPoliciesDir, "health.yaml"), "utf8");
      const same = (await api.run(igHealth, IMPACT, { text: health })) as ExecutionResult<{
        impact: { caseChanges: unknown[] };
      }>;
      expect(same.data?.impact.caseChanges).toEqual([]);
    } finally {
      await api.stop();
    }
  });

  it("refuses to report case changes from a test file that does not read, naming its line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mash-policies-"));
    cpSync(defaultPoliciesDir, dir, { recursive: true });
    writeFileSync(
      join(dir, "tests", "police.yaml"),
      "agency: police\ncases:\n  - name: x\n    role: wizard\n    purpose: outside\n    type: PoliceSection\n    visible: [known]\n",
    );
    const api = await governance(dir, {});
    try {
      const { errors } = await api.run(igPolice, IMPACT, { text: narrowed });
      expect(errors?.[0]?.extensions?.code).toBe("INVALID_POLICY_TESTS");
      expect(errors?.[0]?.message).toContain(
        'police.yaml:4 case "x": no role "wizard" in roles.yaml',
      );
    } finally {
      await api.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
