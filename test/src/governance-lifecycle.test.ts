import { join } from "node:path";
import { type AuditRecord, openAuditStore, startGateway } from "@mash/gateway";
import { createLogger } from "@mash/kit";
import { storeBackends, testDatabaseUrl } from "@mash/kit/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { aliasBomb } from "../../gateway/src/authz/policy/hostile-yaml.ts";
import { startSystem, type TestSystem, testGatewayConfig } from "./system.ts";

type Gql<T> = { data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] };
type Version = { id: string; status: string; author: string; restoredFrom: string | null };
const VERSION = "id status author restoredFrom";

/** The police policy text without one rule: a narrowing an officer might make. */
function withoutRule(text: string, id: string): string {
  const doc = parseDocument(text);
  const rules = doc.get("rules") as { items: { get(k: string): unknown }[] };
  const index = rules.items.findIndex((r) => r.get("id") === id);
  if (index < 0) throw new Error(`no rule ${id}`);
  rules.items.splice(index, 1);
  return doc.toString();
}

const NURSE_QUERY =
  "query($id: ID!) { subject(id: $id) { police { incidents { id category occurredAt childPresent } } } }";

/** Whether the nurse, in ENQ-2001, sees S-1003's police incidents through this gateway. */
async function nurseSeesIncidents(system: TestSystem, url = system.gatewayUrl): Promise<boolean> {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(await system.headersFor({ as: "nurse.evans", enquiry: "ENQ-2001" })),
    },
    body: JSON.stringify({ query: NURSE_QUERY, variables: { id: "S-1003" } }),
  });
  const body = (await response.json()) as Gql<{
    subject: { police: { incidents: unknown[] | null } | null };
  }>;
  expect(response.status).toBe(200);
  const incidents = body.data?.subject.police?.incidents;
  const withheld = (body.errors ?? []).some(
    (e) => e.extensions?.code === "UNAUTHORIZED_FIELD_OR_TYPE",
  );
  if (Array.isArray(incidents) && incidents.length > 0 && !withheld) return true;
  if (incidents === null && withheld) return false;
  throw new Error(`unexpected answer: ${JSON.stringify(body)}`);
}

const backends = await storeBackends();
const postgres = backends.find((b) => b.backend === "postgres");
const schemaName = `gov_${process.pid}_${Date.now().toString(36)}`;

describe("the policy lifecycle through the governance API", () => {
  let system: TestSystem;
  const gov = async <T>(
    as: string,
    query: string,
    variables: Record<string, unknown> = {},
    url?: string,
  ) => {
    const response = await fetch(
      url ?? system.gatewayUrl.replace(/\/graphql$/, "/governance/graphql"),
      {
        method: "POST",
        headers: { "content-type": "application/json", ...(await system.headersFor({ as })) },
        body: JSON.stringify({ query, variables }),
      },
    );
    return (await response.json()) as Gql<T>;
  };
  const ok = async <T>(
    as: string,
    query: string,
    variables: Record<string, unknown> = {},
    url?: string,
  ) => {
    const r = await gov<T>(as, query, variables, url);
    expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
    return r.data as T;
  };
  const code = async (as: string, query: string, variables: Record<string, unknown>) =>
    (await gov(as, query, variables)).errors?.[0]?.extensions?.code;

  const SAVE = `mutation($text: String!) { saveDraft(text: $text, note: "test") { ${VERSION} } }`;
  const PROPOSE = `mutation($id: ID!, $reason: String!) { propose(versionId: $id, reason: $reason) { ${VERSION} } }`;
  const APPROVE = `mutation($id: ID!) { approve(versionId: $id, comment: "agreed") { ${VERSION} } }`;
  const REJECT = `mutation($id: ID!) { reject(versionId: $id, reason: "not agreed") { ${VERSION} } }`;
  const PUBLISH = `mutation($id: ID!) { publish(versionId: $id) { ${VERSION} } }`;
  const ROLLBACK = `mutation($id: ID!) { rollback(toVersionId: $id, reason: "board withdrew it") { ${VERSION} } }`;
  const NARROW = `mutation($text: String!, $reason: String!) { publishNarrowing(text: $text, reason: $reason) { ${VERSION} } }`;
  const NARROW_VERSION = `mutation($id: ID!, $reason: String!) { publishNarrowing(versionId: $id, reason: $reason) { ${VERSION} } }`;

  let liveText: string;
  let narrowed: string;
  beforeAll(async () => {
    system = await startSystem({ subjects: 20 });
    liveText = (await ok<{ livePolicy: { text: string } }>("ig.police", "{ livePolicy { text } }"))
      .livePolicy.text;
    narrowed = withoutRule(liveText, "police-incident-facts-for-health");
  });
  afterAll(async () => {
    await system?.stop();
  });

  it("shows exactly who loses what before publishing, and how many people have such records", async () => {
    const { impact } = await ok<{
      impact: {
        problems: unknown[];
        changes: {
          role: string;
          field: string;
          purpose: string;
          before: string;
          after: string;
          change: string;
        }[];
        affectedSubjects: { type: string; subjects: number | null; fewerThan: number | null }[];
      };
    }>(
      "ig.police",
      `query($text: String!) { impact(text: $text) { problems { message }
        changes { role field purpose before after change } affectedSubjects { type subjects fewerThan } } }`,
      { text: narrowed },
    );
    expect(impact.problems).toEqual([]);
    const fields = [
      "PoliceIncident.category",
      "PoliceIncident.childPresent",
      "PoliceIncident.id",
      "PoliceIncident.occurredAt",
      "PoliceSection.incidents",
    ];
    expect(new Set(impact.changes.map((c) => c.role))).toEqual(
      new Set(["health_safeguarding_nurse"]),
    );
    expect([...new Set(impact.changes.map((c) => c.field))].sort()).toEqual(fields);
    expect(
      impact.changes.every(
        (c) => c.change === "LOSS" && c.before === "ALLOWED" && c.after === "DENIED",
      ),
    ).toBe(true);
    // In an enquiry only: outside one the nurse never had these fields.
    expect(
      impact.changes
        .filter((c) => c.purpose === "inEnquiry")
        .map((c) => c.field)
        .sort(),
    ).toEqual(fields);
    expect(impact.changes.some((c) => c.purpose === "outside")).toBe(false);
    // Counted by the police subgraph: 20 seeded people hold fewer than the threshold's 5 such
    // records, so the count is only "fewer than 5" (a small count could single people out).
    const incidents = impact.affectedSubjects.find((a) => a.type === "PoliceIncident");
    expect(incidents).toEqual({ type: "PoliceIncident", subjects: null, fewerThan: 5 });
  });

  it("never lets an invalid, foreign or rejected text go live, and needs a second officer", async () => {
    // Health's officer cannot govern police fields: its text fails the information firewall.
    const foreign = (await ok<{ saveDraft: Version }>("ig.health", SAVE, { text: narrowed }))
      .saveDraft;
    expect(await code("ig.health", PROPOSE, { id: foreign.id, reason: "try" })).toBe(
      "INVALID_POLICY",
    );
    // Police's version is not found for health.
    const mine = (await ok<{ saveDraft: Version }>("ig.police", SAVE, { text: narrowed }))
      .saveDraft;
    expect(await code("ig.health", APPROVE, { id: mine.id })).toBe("NOT_FOUND");
    // A text that does not load can be saved, never proposed.
    const broken = (
      await ok<{ saveDraft: Version }>("ig.police", SAVE, { text: `${narrowed}\n  - id: [` })
    ).saveDraft;
    expect(await code("ig.police", PROPOSE, { id: broken.id, reason: "typo" })).toBe(
      "INVALID_POLICY",
    );
    // Proposed, then the author cannot approve; a second officer rejects it.
    await ok("ig.police", PROPOSE, { id: mine.id, reason: "minimum necessary" });
    expect(await code("ig.police", APPROVE, { id: mine.id })).toBe("FORBIDDEN");
    expect(await code("ig.police", PUBLISH, { id: mine.id })).toBe("BAD_STATE");
    const rejected = (await ok<{ reject: Version }>("ig.police2", REJECT, { id: mine.id })).reject;
    expect(rejected.status).toBe("REJECTED");
    expect(await code("ig.police2", PUBLISH, { id: mine.id })).toBe("BAD_STATE");
    expect(await nurseSeesIncidents(system)).toBe(true);
  });

  it("publishes an approved change, enforces it at once, and rolls it back", async () => {
    expect(await nurseSeesIncidents(system)).toBe(true);
    const draft = (await ok<{ saveDraft: Version }>("ig.police", SAVE, { text: narrowed }))
      .saveDraft;
    await ok("ig.police", PROPOSE, {
      id: draft.id,
      reason: "nurses need categories only from the DSL",
    });
    const approved = (await ok<{ approve: Version }>("ig.police2", APPROVE, { id: draft.id }))
      .approve;
    expect(approved.status).toBe("APPROVED");
    const published = (await ok<{ publish: Version }>("ig.police", PUBLISH, { id: draft.id }))
      .publish;
    expect(published.status).toBe("PUBLISHED");
    expect(await nurseSeesIncidents(system)).toBe(false);
    const live = await ok<{ livePolicy: { version: { id: string } | null } }>(
      "ig.police",
      "{ livePolicy { version { id } } }",
    );
    expect(live.livePolicy.version?.id).toBe(draft.id);

    const versions = (
      await ok<{ policyVersions: Version[] }>("ig.police", `{ policyVersions { ${VERSION} } }`)
    ).policyVersions;
    const baseline = versions.find((v) => v.author === "(policies/ file)");
    expect(baseline?.status).toBe("SUPERSEDED");
    // A rollback is a proposal: it widens (the nurse gets the incidents back), so the officer
    // who asks for it cannot also approve it, and nothing changes until a second officer does.
    const back = (await ok<{ rollback: Version }>("ig.police2", ROLLBACK, { id: baseline?.id }))
      .rollback;
    expect(back).toMatchObject({ status: "PROPOSED", restoredFrom: baseline?.id });
    expect(await code("ig.police2", APPROVE, { id: back.id })).toBe("FORBIDDEN");
    expect(await code("ig.police2", PUBLISH, { id: back.id })).toBe("BAD_STATE");
    expect(await nurseSeesIncidents(system)).toBe(false);
    await ok("ig.police", APPROVE, { id: back.id });
    await ok("ig.police2", PUBLISH, { id: back.id });
    expect(await nurseSeesIncidents(system)).toBe(true);

    // Every step is in the access log: who did what to which version, and why.
    const log = await openAuditStore({
      kind: "sqlite",
      file: join(system.identity.dataDir, "audit.sqlite"),
    });
    try {
      const steps = (await log.rows())
        .map((r) => JSON.parse(r.body) as AuditRecord)
        .filter((r) => r.governance?.target === draft.id || r.governance?.target === back.id)
        .map((r) => `${r.governance?.action} ${r.userId}`);
      expect(steps).toEqual([
        "policy.save_draft ig.police",
        "policy.propose ig.police",
        "policy.approve ig.police2",
        "policy.publish ig.police",
        "policy.rollback ig.police2",
        "policy.approve ig.police",
        "policy.publish ig.police2",
      ]);
    } finally {
      await log.close();
    }
  });

  it("an emergency narrowing is in force at once and in the other officer's inbox; undoing it needs them", async () => {
    expect(await nurseSeesIncidents(system)).toBe(true);
    const published = (
      await ok<{ publishNarrowing: Version }>("ig.police", NARROW, {
        text: narrowed,
        reason: "incident 4471: nurses must not see incident facts until the review",
      })
    ).publishNarrowing;
    expect(published.status).toBe("PUBLISHED");
    expect(await nurseSeesIncidents(system)).toBe(false);
    const inbox = await ok<{ inbox: { narrowingsToReview: Version[] } }>(
      "ig.police2",
      "{ inbox { narrowingsToReview { id } } }",
    );
    expect(inbox.inbox.narrowingsToReview.map((v) => v.id)).toEqual([published.id]);

    // The officer overruled at the review cannot undo it alone, by any route.
    const versions = (
      await ok<{ policyVersions: Version[] }>("ig.police", `{ policyVersions { ${VERSION} } }`)
    ).policyVersions;
    const before = versions.find((v) => v.status === "SUPERSEDED") as Version;
    const widen = await gov("ig.police", NARROW_VERSION, { id: before.id, reason: "undo" });
    expect(widen.errors?.[0]?.extensions?.code).toBe("BAD_STATE");
    expect(widen.errors?.[0]?.message).toMatch(/not a narrowing: health_safeguarding_nurse gains/);
    const undo = (await ok<{ rollback: Version }>("ig.police", ROLLBACK, { id: before.id }))
      .rollback;
    expect(undo.status).toBe("PROPOSED");
    expect(await code("ig.police", APPROVE, { id: undo.id })).toBe("FORBIDDEN");
    expect(await code("ig.police", PUBLISH, { id: undo.id })).toBe("BAD_STATE");
    expect(await nurseSeesIncidents(system)).toBe(false);

    const REVIEW = `mutation($id: ID!) { reviewNarrowing(versionId: $id, comment: "right call") { id } }`;
    expect(await code("ig.police", REVIEW, { id: published.id })).toBe("FORBIDDEN");
    await ok("ig.police2", REVIEW, { id: published.id });
    await ok("ig.police2", REJECT, { id: undo.id });
    const empty = await ok<{
      inbox: { narrowingsToReview: Version[]; proposalsToReview: Version[] };
    }>("ig.police2", "{ inbox { narrowingsToReview { id } proposalsToReview { id } } }");
    expect(empty.inbox).toEqual({ narrowingsToReview: [], proposalsToReview: [] });
    // Put the nurse's view back the two-person way, for the tests after this one.
    const again = (await ok<{ rollback: Version }>("ig.police2", ROLLBACK, { id: before.id }))
      .rollback;
    await ok("ig.police", APPROVE, { id: again.id });
    await ok("ig.police", PUBLISH, { id: again.id });
    expect(await nurseSeesIncidents(system)).toBe(true);
  });

  it("answers for an alias bomb saved as a draft with its problem and line, for every officer", async () => {
    const bomb = aliasBomb();
    const draft = (await ok<{ saveDraft: Version }>("ig.police", SAVE, { text: bomb })).saveDraft;
    for (const as of ["ig.police", "ig.police2"]) {
      const listed = await ok<{ policyVersions: (Version & { problems: { line: number }[] })[] }>(
        as,
        `{ policyVersions { ${VERSION} problems { line message } } }`,
      );
      expect(listed.policyVersions.find((v) => v.id === draft.id)?.problems).toEqual([
        { line: 6, message: expect.stringMatching(/alias bomb/) },
      ]);
    }
    const checked = await ok<{ validatePolicy: { line: number; message: string }[] }>(
      "ig.police",
      "query($text: String!) { validatePolicy(text: $text) { line message } }",
      { text: bomb },
    );
    expect(checked.validatePolicy).toEqual([
      { line: 6, message: expect.stringMatching(/alias bomb/) },
    ]);
    expect(await code("ig.police", PROPOSE, { id: draft.id, reason: "lol" })).toBe(
      "INVALID_POLICY",
    );
    const discarded = await ok<{ discardDraft: Version }>(
      "ig.police",
      "mutation($id: ID!) { discardDraft(versionId: $id) { id status } }",
      { id: draft.id },
    );
    expect(discarded.discardDraft.status).toBe("DISCARDED");
  });

  it.skipIf(postgres?.unavailable)(
    "a change published through one gateway is enforced by another on the same PostgreSQL store",
    async () => {
      const governance = {
        store: { kind: "postgres" as const, url: testDatabaseUrl, schema: schemaName },
        pollMs: undefined,
        impactMinCount: 5,
      };
      const endpoints = system.subgraphs.map((s) => ({ name: s.name, url: s.url }));
      const start = (dir: typeof system.identity) =>
        startGateway(testGatewayConfig(endpoints, { governance }), {
          logger: createLogger("test", "error"),
          identity: dir,
          contextKey: system.contextKey,
        });
      const one = await start(system.identity);
      const two = await start(system.identity);
      try {
        const govOne = one.url.replace(/\/graphql$/, "/governance/graphql");
        expect(await nurseSeesIncidents(system, two.url)).toBe(true);
        const draft = (
          await ok<{ saveDraft: Version }>("ig.police", SAVE, { text: narrowed }, govOne)
        ).saveDraft;
        await ok("ig.police", PROPOSE, { id: draft.id, reason: "minimum necessary" }, govOne);
        await ok("ig.police2", APPROVE, { id: draft.id }, govOne);
        await ok("ig.police", PUBLISH, { id: draft.id }, govOne);
        const published = Date.now();
        let seen = true;
        while (seen && Date.now() - published < 2000)
          seen = await nurseSeesIncidents(system, two.url);
        const elapsed = Date.now() - published;
        console.log(`governance: publication enforced by the second gateway after ${elapsed} ms`);
        expect(seen).toBe(false);

        // On PostgreSQL too, one officer narrows at once but cannot widen alone.
        const rollback = (
          await ok<{ rollback: Version }>("ig.police", ROLLBACK, { id: "police-v2" }, govOne)
        ).rollback;
        expect(rollback.status).toBe("PROPOSED");
        const alone = await gov("ig.police", PUBLISH, { id: rollback.id }, govOne);
        expect(alone.errors?.[0]?.extensions?.code).toBe("BAD_STATE");
        const widen = await gov(
          "ig.police",
          NARROW_VERSION,
          { id: "police-v2", reason: "undo" },
          govOne,
        );
        expect(widen.errors?.[0]?.extensions?.code).toBe("BAD_STATE");
        await ok("ig.police2", APPROVE, { id: rollback.id }, govOne);
        await ok("ig.police", PUBLISH, { id: rollback.id }, govOne);
        let restored = false;
        const at = Date.now();
        while (!restored && Date.now() - at < 2000)
          restored = await nurseSeesIncidents(system, two.url);
        expect(restored).toBe(true);
        await ok("ig.police2", NARROW, { text: narrowed, reason: "incident 4471" }, govOne);
        const narrowedAt = Date.now();
        seen = true;
        while (seen && Date.now() - narrowedAt < 2000)
          seen = await nurseSeesIncidents(system, two.url);
        expect(seen).toBe(false);
      } finally {
        await one.stop();
        await two.stop();
        const client = new pg.Client({ connectionString: testDatabaseUrl });
        await client.connect();
        await client.query(`drop schema if exists "${schemaName}" cascade`);
        await client.end();
      }
    },
  );
});
