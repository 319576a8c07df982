import { join } from "node:path";
import {
  AUDIT_UNAVAILABLE,
  type AuditLog,
  type AuditRecord,
  type AuditStore,
  openAuditStore,
  startGateway,
  verifyChain,
} from "@mash/gateway";
import { createLogger } from "@mash/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectOperation } from "./contract.ts";
import { startSystem, type TestSystem, testGatewayConfig } from "./system.ts";

describe("the access log", () => {
  let system: TestSystem;
  let log: AuditStore;
  beforeAll(async () => {
    system = await startSystem({ subjects: 20 });
    // The gateway writes audit.sqlite in its data directory; read it beside the gateway.
    log = await openAuditStore({
      kind: "sqlite",
      file: join(system.identity.dataDir, "audit.sqlite"),
    });
  });
  afterAll(async () => {
    await log?.close();
    await system?.stop();
  });

  const records = async () => (await log.rows()).map((r) => JSON.parse(r.body) as AuditRecord);

  /** POSTs as a user and returns the body and the request id the gateway gave it. */
  const post = async (
    url: string,
    query: string,
    variables: Record<string, unknown>,
    who: Parameters<TestSystem["headersFor"]>[0],
  ) => {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(await system.headersFor(who)) },
      body: JSON.stringify({ query, variables }),
    });
    return {
      status: response.status,
      requestId: response.headers.get("x-request-id"),
      body: (await response.json()) as { data?: unknown; errors?: { extensions?: unknown }[] },
    };
  };

  it("records what was released and withheld, and about whom, in one record", async () => {
    const before = (await records()).length;
    const { requestId, body } = await post(
      system.gatewayUrl,
      projectOperation("SubjectOverview"),
      { id: "S-1003" },
      { as: "sw.patel", enquiry: "ENQ-2001" },
    );
    expect(body.data).toBeTruthy();
    const after = await records();
    expect(after.length).toBe(before + 1);
    const record = after.at(-1) as AuditRecord;
    expect(record.requestId).toBe(requestId);
    expect(record).toMatchObject({
      userId: expect.any(String),
      agency: "childrens-services",
      enquiryId: "ENQ-2001",
      breakGlassReason: null,
      operationName: "SubjectOverview",
      subjects: ["S-1003"],
      outcome: "partial",
    });
    expect(record.roles.length).toBeGreaterThan(0);
    expect(record.queryHash).toMatch(/^[0-9a-f]{64}$/);
    expect(record.released).toContainEqual({ field: "Intelligence.summary", agency: "police" });
    expect(record.withheld).toContainEqual({
      field: "Intelligence.source",
      rule: "police-intelligence-sources",
      agency: "police",
    });
    // The code C item left out of the answer is still in the police's log, with the rule.
    expect(record.withheld).toContainEqual({
      field: "Intelligence.handlingCode",
      rule: "police-intelligence-handling-c",
      agency: "police",
    });
    expect(JSON.stringify(body)).not.toContain("INT-78");
    // Per owning agency, about whom: what that agency's officers search the log by.
    expect(record.seen).toContainEqual({ agency: "police", subjects: ["S-1003"] });
    expect(record.released.map((r) => r.field)).not.toContain("Intelligence.source");
    // Names of fields and ids only: no value the subgraphs returned is in the log.
    const stored = (await log.rows()).at(-1)?.body ?? "";
    const data = JSON.stringify(body.data);
    const subject = (body.data as { subject: { name: { family: string } } }).subject;
    expect(data).toContain(subject.name.family);
    expect(stored).not.toContain(subject.name.family);
  });

  it("writes exactly one record per answered request, concurrent or not, and no more", async () => {
    const before = await records();
    const ids = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        post(
          system.gatewayUrl,
          "query Known($id: ID!) { subject(id: $id) { id police { known } } }",
          { id: `S-100${(i % 5) + 1}` },
          { as: i % 2 ? "sw.patel" : "mgr.okafor", enquiry: i % 3 ? "ENQ-2001" : undefined },
        ).then((r) => r.requestId),
      ),
    );
    // Refused before GraphQL runs (no token): counted into its address's aggregate, written
    // when its minute ends (here: now).
    const refused = await post(system.gatewayUrl, "{ __typename }", {}, {});
    expect(refused.status).toBe(401);
    await system.gateway.flushRefusalAggregates();
    const after = await records();
    const added = after.slice(before.length);
    expect(added.length).toBe(13);
    expect(
      added
        .slice(0, 12)
        .map((r) => r.requestId)
        .sort(),
    ).toEqual([...ids].sort());
    expect(added[12]).toMatchObject({
      requestId: refused.requestId,
      userId: "(unauthenticated)",
      refusal: "UNAUTHENTICATED",
      outcome: "refused",
      released: [],
      aggregate: { count: 1, api: "graph" },
    });
    expect(after.map((r) => r.seq)).toEqual(after.map((_, i) => i + 1));
    expect(verifyChain(await log.rows())).toMatchObject({ ok: true });
  });

  it("records a break-glass reason as given", async () => {
    const reason = "Child at immediate risk; duty manager authorised out of hours.";
    await post(
      system.gatewayUrl,
      'query Who { subject(id: "S-1003") { id } }',
      {},
      { as: "mgr.okafor", enquiry: "ENQ-2001", breakGlass: reason },
    );
    const record = (await records()).at(-1) as AuditRecord;
    expect(record.breakGlassReason).toBe(reason);
    expect(record.operationName).toBe("Who");
  });

  it("returns no data when the record cannot be written", async () => {
    const failing: AuditLog = {
      append: async () => {
        throw new Error("disk full");
      },
      close: async () => {},
    };
    const gateway = await startGateway(
      testGatewayConfig(system.subgraphs.map((s) => ({ name: s.name, url: s.url }))),
      {
        logger: createLogger("test", "silent"),
        identity: system.identity,
        contextKey: system.contextKey,
        watchPolicies: false,
        audit: failing,
      },
    );
    try {
      const { status, body } = await post(
        gateway.url,
        projectOperation("SubjectOverview"),
        { id: "S-1003" },
        { as: "sw.patel", enquiry: "ENQ-2001" },
      );
      // The gateway cannot answer safely: 503, never data.
      expect(status).toBe(503);
      expect(body.data ?? null).toBeNull();
      expect(body.errors?.map((e) => (e.extensions as { code?: string })?.code)).toEqual([
        AUDIT_UNAVAILABLE,
      ]);
      expect(JSON.stringify(body)).not.toContain("S-1003");
    } finally {
      await gateway.stop();
    }
  });
});
