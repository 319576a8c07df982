import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "@mash/kit";
import { buildSchema, type ExecutionResult, type GraphQLSchema, graphql } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openAuditStore } from "../audit/store.ts";
import { aliasBomb } from "../authz/policy/hostile-yaml.ts";
import { defaultPoliciesDir } from "../authz/policy/load.ts";
import { supergraphFile } from "../compose/schema-files.ts";
import { unacknowledgedNotifications } from "./inbox.ts";
import { createLifecycle, type LifecycleRecord, type Officer } from "./lifecycle.ts";
import { createPolicyResolvers } from "./policy-api.ts";
import { holdPublishedPolicies, type PolicyHolder } from "./policy-holder.ts";
import { openPolicyStore, type PolicyStore } from "./policy-store.ts";
import { attachResolvers, type Resolvers } from "./resolvers.ts";
import { createShadow } from "./shadow.ts";
import { createShadowCandidates, type ShadowCandidates } from "./shadow-candidates.ts";

const supergraphSdl = readFileSync(supergraphFile, "utf8");
const sdl = readFileSync(new URL("./schema.graphql", import.meta.url), "utf8");
const policeText = readFileSync(join(defaultPoliciesDir, "police.yaml"), "utf8");
const narrower = policeText.replace(
  "    roles: [health_safeguarding_nurse]\n    requires: { enquiry: true }",
  "    roles: [social_worker]\n    requires: { enquiry: true }",
);
const gov = (id: string, agency: string): Officer => ({
  id,
  agency,
  roles: ["governance_officer"],
});
const alice = gov("alice", "police");
const bob = gov("bob", "police");
const carol = gov("carol", "health");

describe("governance API, policy half", () => {
  let dir: string;
  let store: PolicyStore;
  let holder: PolicyHolder;
  let candidates: ShadowCandidates;
  let schema: GraphQLSchema;
  const recorded: string[] = [];
  let unacknowledged = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "mash-governance-"));
    store = await openPolicyStore({ kind: "sqlite", file: join(dir, "policies.sqlite") });
    holder = await holdPublishedPolicies({
      dir: defaultPoliciesDir,
      supergraphSdl,
      logger: createLogger("test", "silent"),
      watch: false,
      source: { store, pollMs: 50 },
    });
    candidates = createShadowCandidates({ store, holder, supergraphSdl });
    const lifecycle = createLifecycle({
      store,
      supergraphSdl,
      policiesDir: defaultPoliciesDir,
      policy: () => holder.authority().policy,
    });
    const resolvers = createPolicyResolvers({
      officer: (context) => (context as { officer: Officer }).officer,
      lifecycle,
      store,
      holder,
      supergraphSdl,
      subjectCounts: async () => ({ PoliceIncident: 12, PoliceSection: 40 }),
      shadow: createShadow({ candidates: candidates.candidates }),
      record: (context, a: LifecycleRecord) => {
        recorded.push(`${(context as { requestId: string }).requestId} ${a.action} ${a.versionId}`);
      },
      pendingChanged: () => candidates.refresh(),
      unacknowledgedNotifications: async () => unacknowledged,
    });
    const typed: Resolvers = resolvers;
    schema = attachResolvers(buildSchema(sdl), typed);
  });
  afterAll(async () => {
    candidates.stop();
    holder.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  type Data = Record<string, Record<string, unknown> & { [k: string]: unknown }>;
  const run = async (officer: Officer, source: string, variableValues?: Record<string, unknown>) =>
    (await graphql({
      schema,
      source,
      variableValues,
      contextValue: { officer, requestId: `r-${officer.id}` },
    })) as ExecutionResult<Data>;
  const codeOf = (r: ExecutionResult) => r.errors?.[0]?.extensions?.code;

  const SAVE =
    'mutation($t: String!) { saveDraft(text: $t, note: "n") { id status problems { line rule message } } }';

  it("takes a draft through review to force, and reports problems, impact and access", async () => {
    const saved = await run(alice, SAVE, { t: narrower });
    expect(saved.errors).toBeUndefined();
    expect(saved.data?.saveDraft).toEqual({ id: "police-v1", status: "DRAFT", problems: [] });

    const impact = await run(
      alice,
      "query($t: String!) { impact(text: $t) { problems { message } changes { role field purpose before after change } affectedSubjects { type subjects } } }",
      { t: narrower },
    );
    const result = impact.data?.impact as { changes: unknown[]; affectedSubjects: unknown[] };
    // Five fields, in an enquiry only: the nurse may not break the glass.
    expect(result.changes).toHaveLength(5);
    expect(result.changes).toContainEqual({
      role: "health_safeguarding_nurse",
      field: "PoliceIncident.id",
      purpose: "inEnquiry",
      before: "ALLOWED",
      after: "DENIED",
      change: "LOSS",
    });
    expect(result.affectedSubjects).toEqual(
      expect.arrayContaining([{ type: "PoliceIncident", subjects: 12 }]),
    );

    await run(
      alice,
      'mutation { propose(versionId: "police-v1", reason: "minimum necessary") { status } }',
    );
    await candidates.refresh();
    expect(candidates.candidates().map((c) => c.versionId)).toEqual(["police-v1"]);
    const self = await run(alice, 'mutation { approve(versionId: "police-v1") { status } }');
    expect(codeOf(self)).toBe("FORBIDDEN");
    const other = await run(carol, 'mutation { approve(versionId: "police-v1") { status } }');
    expect(codeOf(other)).toBe("NOT_FOUND");
    const approved = await run(
      bob,
      'mutation { approve(versionId: "police-v1", comment: "ok") { status approvedBy } }',
    );
    expect(approved.data?.approve).toEqual({ status: "APPROVED", approvedBy: "bob" });
    const published = await run(
      alice,
      'mutation { publish(versionId: "police-v1") { status publishedBy } }',
    );
    expect(published.data?.publish).toEqual({ status: "PUBLISHED", publishedBy: "alice" });
    expect(candidates.candidates()).toEqual([]);

    // The holder follows the store; the live matrix then shows the nurse's loss.
    const deadline = Date.now() + 2000;
    const LIVE =
      "{ livePolicy { agency version { id } text matrix { roles rows { field cells { role outside inEnquiry breakGlass condition rules } } } } }";
    let live = await run(alice, LIVE);
    while ((live.data?.livePolicy?.version as { id: string } | null)?.id !== "police-v1") {
      if (Date.now() > deadline) throw new Error("not in force within 2 s");
      await new Promise((r) => setTimeout(r, 20));
      live = await run(alice, LIVE);
    }
    const policy = live.data?.livePolicy as {
      text: string;
      matrix: { rows: { field: string; cells: { role: string; inEnquiry: string }[] }[] };
    };
    expect(policy.text).toBe(narrower);
    const row = policy.matrix.rows.find((r) => r.field === "PoliceIncident.id");
    expect(row?.cells.find((c) => c.role === "health_safeguarding_nurse")?.inEnquiry).toBe(
      "DENIED",
    );
    expect(recorded).toEqual([
      "r-alice SAVE_DRAFT police-v1",
      "r-alice PROPOSE police-v1",
      "r-bob APPROVE police-v1",
      "r-alice PUBLISH police-v1",
    ]);
  });

  it("refuses to propose a text that does not load, with the problems' lines", async () => {
    const broken = policeText.replace("PoliceSection: [known]", "PoliceSection: [knwon]");
    const saved = await run(alice, SAVE, { t: broken });
    const draft = saved.data?.saveDraft as {
      id: string;
      problems: { line: number; rule: string }[];
    };
    expect(draft.problems).toEqual([
      {
        line: expect.any(Number),
        rule: "police-known-flag",
        message: expect.stringMatching(/knwon/),
      },
    ]);
    const validated = await run(
      alice,
      "query($t: String!) { validatePolicy(text: $t) { line rule } }",
      {
        t: broken,
      },
    );
    expect(validated.data?.validatePolicy).toEqual([
      { line: draft.problems[0]?.line, rule: "police-known-flag" },
    ]);
    const proposed = await run(
      alice,
      `mutation { propose(versionId: "${draft.id}", reason: "x") { status } }`,
    );
    expect(codeOf(proposed)).toBe("INVALID_POLICY");
    expect(proposed.errors?.[0]?.extensions?.problems).toHaveLength(1);
    const missing = await run(
      alice,
      'mutation { propose(versionId: "police-v1", reason: " ") { status } }',
    );
    expect(codeOf(missing)).toBe("BAD_USER_INPUT");
  });

  it("shows an officer only their own agency's versions", async () => {
    const listed = await run(
      carol,
      '{ policyVersions { id } policyVersion(id: "police-v1") { id } }',
    );
    expect(listed.data).toEqual({ policyVersions: [], policyVersion: null });
    const report = await run(
      carol,
      '{ shadowReport(versionId: "police-v1") { requestsObserved } }',
    );
    expect(codeOf(report)).toBe("NOT_FOUND");
    const own = await run(
      alice,
      '{ shadowReport(versionId: "police-v1") { versionId requestsObserved differences { field } } }',
    );
    expect(own.data?.shadowReport).toEqual({
      versionId: "police-v1",
      requestsObserved: 0,
      differences: [],
    });
    const practitioner = await run(
      { id: "pat", agency: "police", roles: ["police_mash_officer"] },
      "{ policyVersions { id } }",
    );
    expect(codeOf(practitioner)).toBe("FORBIDDEN");
  });

  const INBOX = `{ inbox { proposalsToReview { id restoredFrom } narrowingsToReview { id emergency { reason } }
    awaitingOthers { id status } unacknowledgedNotifications } }`;

  it("shows the reviewer a diff and the impact against the policy in force, and an inbox", async () => {
    // police-v1 (narrower) is in force after the first test; a draft restoring the file widens.
    const saved = await run(alice, SAVE, { t: policeText });
    const id = (saved.data?.saveDraft as { id: string } | undefined)?.id;
    await run(
      alice,
      `mutation { propose(versionId: "${id}", reason: "restore the nurse") { id } }`,
    );
    unacknowledged = 3;
    const inbox = await run(bob, INBOX);
    expect(inbox.errors).toBeUndefined();
    expect(inbox.data?.inbox).toEqual({
      proposalsToReview: [{ id, restoredFrom: null }],
      narrowingsToReview: [],
      awaitingOthers: [],
      unacknowledgedNotifications: 3,
    });
    expect((await run(alice, INBOX)).data?.inbox).toMatchObject({
      proposalsToReview: [],
      awaitingOthers: [{ id, status: "PROPOSED" }],
    });
    const card = await run(
      bob,
      `query($id: ID!) { policyVersion(id: $id) { diffFromInForce widening
        impact { problems { message } changes { role field change } affectedSubjects { type subjects fewerThan } } } }`,
      { id },
    );
    expect(card.errors).toBeUndefined();
    const version = card.data?.policyVersion as {
      diffFromInForce: string;
      widening: string[];
      impact: { changes: { role: string; change: string }[]; affectedSubjects: unknown[] };
    };
    expect(version.diffFromInForce).toMatch(/^--- in force \(version 1\)\n\+\+\+ version \d+\n@@ /);
    expect(version.diffFromInForce).toContain("-    roles: [social_worker]");
    expect(version.diffFromInForce).toContain("+    roles: [health_safeguarding_nurse]");
    expect(version.impact.changes).toContainEqual({
      role: "health_safeguarding_nurse",
      field: "PoliceIncident.id",
      change: "GAIN",
    });
    expect(version.widening[0]).toMatch(/^health_safeguarding_nurse gains /);
    expect(version.impact.affectedSubjects).toContainEqual({
      type: "PoliceIncident",
      subjects: 12,
      fewerThan: null,
    });
    // Bob cannot publish it alone as a narrowing: it widens.
    const alone = await run(
      bob,
      `mutation { publishNarrowing(versionId: "${id}", reason: "quick") { id } }`,
    );
    expect(codeOf(alone)).toBe("BAD_STATE");
    expect(alone.errors?.[0]?.message).toMatch(/not a narrowing: health_safeguarding_nurse gains/);
    await run(bob, `mutation { reject(versionId: "${id}", reason: "not agreed") { id } }`);
  });

  it("publishes an emergency narrowing at once, flagged in the other officers' inbox", async () => {
    const comment = `${narrower}\n# after incident 4471\n`;
    const published = await run(
      bob,
      `mutation($t: String!) { publishNarrowing(text: $t, reason: "incident 4471") {
        id status publishedBy emergency { reason reviewedBy } } }`,
      { t: comment },
    );
    expect(published.errors).toBeUndefined();
    const version = published.data?.publishNarrowing as { id: string };
    expect(published.data?.publishNarrowing).toMatchObject({
      status: "PUBLISHED",
      publishedBy: "bob",
      emergency: { reason: "incident 4471", reviewedBy: null },
    });
    expect((await run(alice, INBOX)).data?.inbox).toMatchObject({
      narrowingsToReview: [{ id: version.id, emergency: { reason: "incident 4471" } }],
    });
    const REVIEW = `mutation { reviewNarrowing(versionId: "${version.id}", comment: "agreed") { emergency { reviewedBy } } }`;
    expect(codeOf(await run(bob, REVIEW))).toBe("FORBIDDEN");
    expect((await run(alice, REVIEW)).data?.reviewNarrowing).toEqual({
      emergency: { reviewedBy: "alice" },
    });
    expect((await run(alice, INBOX)).data?.inbox).toMatchObject({ narrowingsToReview: [] });
    expect(recorded.slice(-2)).toEqual([
      `r-bob PUBLISH_NARROWING ${version.id}`,
      `r-alice REVIEW_NARROWING ${version.id}`,
    ]);
  });

  it("survives an alias bomb: saved as a draft, listed with its problem, answered with a line", async () => {
    const bomb = aliasBomb();
    const saved = await run(alice, SAVE, { t: bomb });
    expect(saved.errors).toBeUndefined();
    const draft = saved.data?.saveDraft as { id: string; problems: { line: number }[] };
    expect(draft.problems).toEqual([
      { line: 6, rule: null, message: expect.stringMatching(/alias bomb/) },
    ]);
    // Every officer of the agency can still list the versions and their problems.
    for (const officer of [alice, bob]) {
      const listed = await run(officer, "{ policyVersions { id problems { line message } } }");
      expect(listed.errors).toBeUndefined();
      const versions = listed.data?.policyVersions as unknown as {
        id: string;
        problems: unknown[];
      }[];
      expect(versions.find((v) => v.id === draft.id)?.problems).toHaveLength(1);
    }
    const validated = await run(
      alice,
      "query($t: String!) { validatePolicy(text: $t) { line message } }",
      {
        t: bomb,
      },
    );
    expect(validated.errors).toBeUndefined();
    expect(validated.data?.validatePolicy).toEqual([
      { line: 6, message: expect.stringMatching(/expands to more than 200,000 values/) },
    ]);
    const impacted = await run(
      alice,
      "query($t: String!) { impact(text: $t) { problems { line } changes { role } } }",
      {
        t: bomb,
      },
    );
    expect(impacted.data?.impact).toEqual({ problems: [{ line: 6 }], changes: [] });
    const card = await run(
      alice,
      `{ policyVersion(id: "${draft.id}") { widening diffFromInForce impact { problems { line } } } }`,
    );
    expect(card.errors).toBeUndefined();
    const proposed = await run(
      alice,
      `mutation { propose(versionId: "${draft.id}", reason: "lol") { id } }`,
    );
    expect(codeOf(proposed)).toBe("INVALID_POLICY");
    expect(proposed.errors?.[0]?.extensions?.problems).toEqual([
      { line: 6, rule: null, message: expect.stringMatching(/alias bomb/) },
    ]);

    // The author discards it: it leaves the list, and the step is recorded.
    expect(
      codeOf(await run(bob, `mutation { discardDraft(versionId: "${draft.id}") { id } }`)),
    ).toBe("FORBIDDEN");
    const discarded = await run(
      alice,
      `mutation { discardDraft(versionId: "${draft.id}") { status discardedAt } }`,
    );
    expect(discarded.data?.discardDraft).toEqual({
      status: "DISCARDED",
      discardedAt: expect.any(String),
    });
    const after = await run(
      alice,
      "{ policyVersions { id } all: policyVersions(includeDiscarded: true) { id } }",
    );
    expect(
      ((after.data?.policyVersions ?? []) as unknown as { id: string }[]).map((v) => v.id),
    ).not.toContain(draft.id);
    expect(((after.data?.all ?? []) as unknown as { id: string }[]).map((v) => v.id)).toContain(
      draft.id,
    );
    expect(recorded.at(-1)).toBe(`r-alice DISCARD_DRAFT ${draft.id}`);
  });

  it("counts an agency's unacknowledged notifications from the access log", async () => {
    const log = await openAuditStore({ kind: "sqlite", file: join(dir, "audit.sqlite") });
    try {
      const row = (id: string, agency: string, acknowledged: boolean) => ({
        id,
        seq: Number(id.split(":")[0]),
        agency,
        body: "{}",
        acknowledged_by: acknowledged ? "ig.police" : null,
        acknowledged_at: acknowledged ? new Date().toISOString() : null,
      });
      await log.store.db
        .insertInto("audit_notification")
        .values([
          row("1:police", "police", false),
          row("2:police", "police", true),
          row("3:police", "police", false),
          row("3:health", "health", false),
        ])
        .execute();
      expect(await unacknowledgedNotifications(log.store.db, "police")).toBe(2);
      expect(await unacknowledgedNotifications(log.store.db, "health")).toBe(1);
      expect(await unacknowledgedNotifications(undefined, "police")).toBeNull();
    } finally {
      await log.close();
    }
  });
});
