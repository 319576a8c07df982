import { join } from "node:path";
import { type AuditRecord, type AuditStore, openAuditStore } from "@mash/gateway";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { b64, gql, hostileRequests } from "./hostile-requests.ts";
import { startSystem, type TestSystem } from "./system.ts";

describe("a gateway under hostile input", () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startSystem({ subjects: 20 });
  });
  afterAll(() => system?.stop());

  it("answers every bad request with a clear 4xx, never a 500, and still serves afterwards; each leaves exactly one record", async () => {
    const cases = hostileRequests();
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
    const token = await system.token("sw.patel");
    const counts: Record<number, number> = {};
    const log: AuditStore = await openAuditStore({
      kind: "sqlite",
      file: join(system.identity.dataDir, "audit.sqlite"),
    });
    const records = async () => (await log.rows()).map((r) => JSON.parse(r.body) as AuditRecord);
    const before = (await records()).length;
    /** Request ids of signed-in requests to the API, and how many anonymous ones were sent. */
    const signedIn: { name: string; rid: string }[] = [];
    let anonymous = 0;
    for (const c of cases) {
      const url = new URL(system.gatewayUrl);
      if (c.method === "GET")
        url.searchParams.set(
          "query",
          c.name.includes("mutation") ? "mutation { __typename }" : "{ __typename }",
        );
      const response = await fetch(url, {
        method: c.method ?? "POST",
        headers: {
          ...(c.method === "GET" || c.method === "OPTIONS"
            ? {}
            : { "content-type": "application/json" }),
          ...(c.signedIn ? { authorization: `Bearer ${token}` } : {}),
          ...c.headers,
        },
        body: c.body,
      });
      counts[response.status] = (counts[response.status] ?? 0) + 1;
      // A CORS preflight is the browser asking, not a request to the API: it is never recorded.
      if (c.method !== "OPTIONS") {
        if (c.signedIn)
          signedIn.push({ name: c.name, rid: response.headers.get("x-request-id") ?? "" });
        else anonymous += 1;
      }
      const expected = Array.isArray(c.status) ? c.status : [c.status];
      expect(expected, `${c.name}: status ${response.status}`).toContain(response.status);
      const text = await response.text();
      if (response.status >= 400 && response.status !== 405) {
        const body = JSON.parse(text) as { errors?: { message: string }[] };
        expect(body.errors?.[0]?.message.length, `${c.name} explains itself`).toBeGreaterThan(10);
        expect(text, `${c.name} leaks nothing internal`).not.toMatch(
          /at .*\.(ts|js):\d+|127\.0\.0\.1:\d+|SQLITE|select /i,
        );
      }
    }
    process.stdout.write(
      `hostile: ${cases.length} requests, by status ${JSON.stringify(counts)}\n`,
    );
    expect(cases.length).toBeGreaterThanOrEqual(200);
    expect(counts[500] ?? 0).toBe(0);
    await system.gateway.flushRefusalAggregates();
    const added = (await records()).slice(before);
    await log.close();
    const byRid = new Map<string, number>();
    for (const r of added) byRid.set(r.requestId, (byRid.get(r.requestId) ?? 0) + 1);
    for (const { name, rid } of signedIn)
      expect(byRid.get(rid) ?? 0, `${name}: records with its request id`).toBe(1);
    // Anonymous refusals are one aggregate per address, reason and minute, counting each.
    const aggregates = added.filter((r) => r.aggregate);
    expect(aggregates.reduce((n, r) => n + (r.aggregate?.count ?? 0), 0)).toBe(anonymous);
    expect(aggregates.length).toBeLessThanOrEqual(4);
    expect(added.length).toBe(signedIn.length + aggregates.length);
    const after = await system.query<{ subject: { name: { given: string } } }>(
      '{ subject(id: "S-1001") { name { given } } }',
      {},
      { as: "sw.patel" },
    );
    expect(after.body.data?.subject.name.given).toBe("Amelia");
  });

  it("refuses direct calls to every subgraph without the gateway's signed context", async () => {
    for (const subgraph of system.subgraphs) {
      for (const query of [
        "{ _service { sdl } }",
        'query { _entities(representations: [{ __typename: "Subject", id: "S-1001" }]) { __typename } }',
      ]) {
        const unsigned = await fetch(subgraph.url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: gql(query),
        });
        expect(unsigned.status, `${subgraph.name} unsigned`).toBe(401);
        const forged = await fetch(subgraph.url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-mash-context": `${b64({ alg: "EdDSA" })}.${b64({ sub: "x", aud: subgraph.name })}.AAAA`,
          },
          body: gql(query),
        });
        expect(forged.status, `${subgraph.name} forged`).toBe(401);
      }
    }
  });
});

describe("a degraded agency", () => {
  it("leaves the other agencies answering, names the missing one where its data would be, and /health says which", async () => {
    const system = await startSystem({ subjects: 20 });
    try {
      await system.subgraphs.find((s) => s.name === "health")?.stop();
      const { status, body } = await system.query<{ subject: Record<string, unknown> }>(
        '{ subject(id: "S-1002") { name { given } police { known } health { known gpPractice { name } } } }',
        {},
        { as: "sw.patel", enquiry: "ENQ-2001" },
      );
      expect(status).toBe(200);
      expect(body.data?.subject).toEqual({
        name: { given: "Jade" },
        police: { known: true },
        health: null,
      });
      expect(body.errors).toEqual([
        expect.objectContaining({
          path: ["subject", "health"],
          extensions: { code: "AGENCY_UNAVAILABLE", agency: "health" },
        }),
      ]);
      expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
      const health = await fetch(system.gatewayUrl.replace("/graphql", "/health"));
      expect(health.status).toBe(503);
      expect(((await health.json()) as { unavailable: string[] }).unavailable).toEqual(["health"]);
    } finally {
      await system.stop();
    }
  });
});
