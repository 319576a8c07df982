import { join } from "node:path";
import { type AuditRecord, type AuditStore, openAuditStore } from "@mash/gateway";
import { type Backend, storeBackends, tempStores } from "@mash/kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSystem, type TestSystem } from "./system.ts";

const backends = await storeBackends();
const OK = JSON.stringify({ query: '{ subject(id: "S-1001") { name { given } } }' });
const BREAK_GLASS = "Child at immediate risk; I need to see everything now.";

interface Sent {
  status: number;
  rid: string;
  body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

/**
 * Side doors (issue 13): every request, whatever refuses it and on either API, leaves exactly one
 * record (or its share of one aggregate), on SQLite and on PostgreSQL.
 */
describe.each(backends)("no side doors, access log on $backend", ({ backend, unavailable }) => {
  let system: TestSystem;
  let log: AuditStore;
  let cleanup: () => Promise<void> = async () => {};
  beforeAll(async () => {
    if (unavailable) return;
    const temp = tempStores(backend as Backend);
    cleanup = () => temp.cleanup();
    const store = backend === "postgres" ? temp.configFor("audit") : undefined;
    system = await startSystem({
      subjects: 20,
      gateway: {
        audit: { store, nats: undefined, sqliteFullSync: false },
        anonymousRateLimit: { perMinute: 60, burst: 10 },
        governanceRateLimit: { perMinute: 60, burst: 6 },
      },
    });
    log = await openAuditStore(
      store ?? { kind: "sqlite", file: join(system.identity.dataDir, "audit.sqlite") },
    );
  }, 60_000);
  afterAll(async () => {
    await log?.close();
    await system?.stop();
    await cleanup();
  });

  const records = async () => (await log.rows()).map((r) => JSON.parse(r.body) as AuditRecord);
  const governanceUrl = () => system.gatewayUrl.replace(/\/graphql$/, "/governance/graphql");
  const send = async (
    url: string,
    init: { method?: string; headers?: Record<string, string>; body?: string },
  ): Promise<Sent> => {
    const response = await fetch(url, { method: init.method ?? "POST", ...init });
    const text = await response.text();
    let body: Sent["body"] = {};
    try {
      body = JSON.parse(text) as Sent["body"];
    } catch {}
    return { status: response.status, rid: response.headers.get("x-request-id") ?? "", body };
  };
  const bearer = async (user: string) => ({
    authorization: `Bearer ${await system.token(user)}`,
  });
  const json = { "content-type": "application/json" };

  it.skipIf(unavailable)(
    "records each transport refusal at /graphql as the signed-in user's, once, with its code",
    async () => {
      const auth = await bearer("sw.patel");
      const cases: {
        name: string;
        init: Parameters<typeof send>[1];
        status: number;
        code: string;
      }[] = [
        {
          name: "malformed JSON",
          init: { headers: { ...json, ...auth }, body: "{" },
          status: 400,
          code: "BAD_REQUEST",
        },
        {
          name: "413 body",
          init: {
            headers: { ...json, ...auth },
            body: JSON.stringify({ query: `{ ${"a".repeat(200_000)} }` }),
          },
          status: 413,
          code: "PAYLOAD_TOO_LARGE",
        },
        {
          name: "a batch",
          init: { headers: { ...json, ...auth }, body: `[${OK},${OK}]` },
          status: 400,
          code: "BAD_REQUEST",
        },
        {
          name: "text/plain",
          init: { headers: { "content-type": "text/plain", ...auth }, body: OK },
          status: 400,
          code: "BAD_REQUEST",
        },
        {
          name: "a bare number",
          init: { headers: { ...json, ...auth }, body: "42" },
          status: 400,
          code: "BAD_REQUEST",
        },
        {
          name: "PUT",
          init: { method: "PUT", headers: { ...json, ...auth }, body: OK },
          status: 405,
          code: "METHOD_NOT_ALLOWED",
        },
        {
          name: "two operations, no operationName",
          init: {
            headers: { ...json, ...auth },
            body: JSON.stringify({ query: "query A { __typename } query B { __typename }" }),
          },
          status: 400,
          code: "OPERATION_RESOLUTION_FAILURE",
        },
      ];
      const before = (await records()).length;
      const sent: { name: string; rid: string; code: string }[] = [];
      for (const c of cases) {
        const r = await send(system.gatewayUrl, c.init);
        expect(r.status, c.name).toBe(c.status);
        sent.push({ name: c.name, rid: r.rid, code: c.code });
      }
      // A GET that a browser could be tricked into sending (no preflight-forcing header).
      const csrf = await send(
        `${system.gatewayUrl}?query=${encodeURIComponent("{ __typename }")}`,
        {
          method: "GET",
          headers: auth,
        },
      );
      expect(csrf.status).toBe(400);
      sent.push({ name: "CSRF GET", rid: csrf.rid, code: "BAD_REQUEST" });
      const added = (await records()).slice(before);
      expect(added).toHaveLength(sent.length);
      for (const s of sent) {
        const mine = added.filter((r) => r.requestId === s.rid);
        expect(mine, s.name).toHaveLength(1);
        expect(mine[0], s.name).toMatchObject({
          userId: "sw.patel",
          outcome: "refused",
          refusal: s.code,
        });
      }
    },
  );

  it.skipIf(unavailable)(
    "records every governance request once: a stranger as an aggregate, a practitioner's 403, parse and validation errors, GET, two changes at once",
    async () => {
      const before = (await records()).length;
      const officer = await bearer("ig.police");
      const stranger = await send(governanceUrl(), {
        headers: json,
        body: JSON.stringify({ query: "{ me { id } }" }),
      });
      expect(stranger.status).toBe(401);
      const practitioner = await send(governanceUrl(), {
        headers: { ...json, ...(await bearer("sw.patel")) },
        body: JSON.stringify({ query: "{ me { id } }" }),
      });
      expect(practitioner.status).toBe(403);
      const signedIn: [string, Sent, string][] = [
        ["practitioner", practitioner, "FORBIDDEN"],
        [
          "parse",
          await send(governanceUrl(), {
            headers: { ...json, ...officer },
            body: JSON.stringify({ query: "{" }),
          }),
          "GRAPHQL_PARSE_FAILED",
        ],
        [
          "validation",
          await send(governanceUrl(), {
            headers: { ...json, ...officer },
            body: JSON.stringify({ query: "{ nope }" }),
          }),
          "GRAPHQL_VALIDATION_FAILED",
        ],
        [
          "GET",
          await send(`${governanceUrl()}?query=%7Bme%7Bid%7D%7D`, {
            method: "GET",
            headers: officer,
          }),
          "METHOD_NOT_ALLOWED",
        ],
        [
          "a variable of the wrong type",
          await send(governanceUrl(), {
            headers: { ...json, ...officer },
            body: JSON.stringify({
              query: "query($f: AccessLogFilter) { accessLog(filter: $f) { nextCursor } }",
              variables: { f: { traffic: "NOPE" } },
            }),
          }),
          "BAD_USER_INPUT",
        ],
        [
          "two changes",
          await send(governanceUrl(), {
            headers: { ...json, ...officer },
            body: JSON.stringify({
              query:
                'mutation { a: acknowledgeNotification(id: "1:police") { id } b: acknowledgeNotification(id: "2:police") { id } }',
            }),
          }),
          "BAD_USER_INPUT",
        ],
      ];
      for (const [name, r] of signedIn) expect(r.status, name).toBeGreaterThanOrEqual(400);
      const answered = await send(governanceUrl(), {
        headers: { ...json, ...officer },
        body: JSON.stringify({ query: "{ me { id } }" }),
      });
      expect(answered.status).toBe(200);
      await system.gateway.flushRefusalAggregates();
      const added = (await records()).slice(before);
      for (const [name, r, code] of signedIn) {
        const mine = added.filter((x) => x.requestId === r.rid);
        expect(mine, name).toHaveLength(1);
        expect(mine[0]?.refusal, name).toBe(code);
      }
      expect(added.filter((x) => x.requestId === answered.rid)).toHaveLength(1);
      const aggregate = added.find((x) => x.aggregate?.api === "governance");
      expect(aggregate).toMatchObject({ refusal: "UNAUTHENTICATED", aggregate: { count: 1 } });
      expect(added).toHaveLength(signedIn.length + 2);
    },
  );

  it.skipIf(unavailable)(
    "keeps an anonymous flood to a few aggregate records, refused 429 past its budget, while users are served",
    async () => {
      await system.gateway.flushRefusalAggregates();
      const before = (await records()).length;
      const statuses: number[] = [];
      for (let i = 0; i < 200; i++) {
        const r = await send(system.gatewayUrl, {
          headers: { ...json, authorization: `Bearer not.a.token${i}` },
          body: OK,
        });
        statuses.push(r.status);
      }
      expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(11);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(189);
      const user = await send(system.gatewayUrl, {
        headers: { ...json, ...(await bearer("sw.patel")) },
        body: OK,
      });
      expect(user.status).toBe(200);
      await system.gateway.flushRefusalAggregates();
      const added = (await records()).slice(before);
      const aggregates = added.filter((r) => r.aggregate);
      // One per reason (and minute, should the flood straddle one).
      expect(aggregates.length).toBeLessThanOrEqual(4);
      expect(aggregates.reduce((n, r) => n + (r.aggregate?.count ?? 0), 0)).toBe(200);
      expect(new Set(aggregates.map((r) => r.refusal))).toEqual(
        new Set(["UNAUTHENTICATED", "RATE_LIMITED"]),
      );
      expect(added.filter((r) => r.requestId === user.rid)).toHaveLength(1);
      expect(added).toHaveLength(aggregates.length + 1);
    },
  );

  it.skipIf(unavailable)(
    "limits each officer's governance requests, in a budget of their own",
    async () => {
      const me = JSON.stringify({ query: "{ me { id } }" });
      const police = await bearer("ig.police");
      const statuses: number[] = [];
      for (let i = 0; i < 9; i++)
        statuses.push(
          (await send(governanceUrl(), { headers: { ...json, ...police }, body: me })).status,
        );
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(2);
      const limited = await send(governanceUrl(), { headers: { ...json, ...police }, body: me });
      expect(limited.status).toBe(429);
      expect(limited.body.errors?.[0]?.message).toMatch(/per minute for each officer/);
      const other = await send(governanceUrl(), {
        headers: { ...json, ...(await bearer("ig.health")) },
        body: me,
      });
      expect(other.status).toBe(200);
      // Past the budget, refusals are one aggregate a minute for the officer, not one each.
      await system.gateway.flushRefusalAggregates();
      const limitedRecords = (await records()).filter(
        (r) => r.userId === "ig.police" && r.refusal === "RATE_LIMITED",
      );
      expect(limitedRecords.length).toBeLessThanOrEqual(2);
      expect(limitedRecords.every((r) => r.aggregate?.api === "governance")).toBe(true);
      expect(limitedRecords.reduce((n, r) => n + (r.aggregate?.count ?? 0), 0)).toBe(
        statuses.filter((s) => s === 429).length + 1,
      );
    },
  );

  it.skipIf(unavailable)(
    "refuses break glass from a role that may not with 403, records the attempt as an attempt, notifies nobody",
    async () => {
      const before = (await records()).length;
      const r = await send(system.gatewayUrl, {
        headers: {
          ...json,
          ...(await bearer("nurse.evans")),
          "x-mash-enquiry": "ENQ-2003",
          "x-mash-break-glass": BREAK_GLASS,
        },
        body: JSON.stringify({ query: '{ subject(id: "S-1005") { id police { known } } }' }),
      });
      expect(r.status).toBe(403);
      expect(r.body.errors?.[0]?.extensions?.code).toBe("BREAK_GLASS_NOT_PERMITTED");
      expect(r.body.data).toBeUndefined();
      const added = (await records()).slice(before);
      expect(added).toHaveLength(1);
      expect(added[0]).toMatchObject({
        requestId: r.rid,
        userId: "nurse.evans",
        enquiryId: "ENQ-2003",
        breakGlassReason: null,
        refusal: "BREAK_GLASS_NOT_PERMITTED",
        subjects: [],
        released: [],
      });
      // A role that may break the glass still can.
      const manager = await send(system.gatewayUrl, {
        headers: {
          ...json,
          ...(await bearer("mgr.okafor")),
          "x-mash-enquiry": "ENQ-2002",
          "x-mash-break-glass": BREAK_GLASS,
        },
        body: JSON.stringify({ query: '{ subject(id: "S-1005") { id } }' }),
      });
      expect(manager.status).toBe(200);
    },
  );

  it.skipIf(unavailable)(
    "answers a date a subgraph's scalar rejects as the client's mistake (400 BAD_USER_INPUT), not the agency down",
    async () => {
      const auth = await bearer("sw.patel");
      for (const dateOfBirth of ["14/03/2017", "2017-02-30"]) {
        const r = await send(system.gatewayUrl, {
          headers: { ...json, ...auth, "x-mash-enquiry": "ENQ-2001" },
          body: JSON.stringify({
            query:
              'query($d: Date) { searchSubjects(name: "Amelia Doe", dateOfBirth: $d) { score } }',
            variables: { d: dateOfBirth },
          }),
        });
        expect(r.status, dateOfBirth).toBe(400);
        expect(r.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
        expect(r.body.errors?.[0]?.message).toMatch(/YYYY-MM-DD/);
        expect(JSON.stringify(r.body)).not.toMatch(/AGENCY_UNAVAILABLE|did not answer/);
      }
    },
  );
});
