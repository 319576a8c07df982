import { createHash } from "node:crypto";
import { readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { type RunningGateway, startGateway } from "@mash/gateway";
import {
  bodyDigest,
  type CallerContext,
  CONTEXT_LIFETIME_SECONDS,
  createLogger,
  importSigningKey,
  newContextKeyPair,
  type RunningSubgraph,
  type ServedRow,
  type ServedTables,
  signContext,
} from "@mash/kit";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type CapturedRequest, captureProxy, replay } from "./subgraph-capture.ts";
import { startSystem, type TestSystem, testGatewayConfig } from "./system.ts";

const entities = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Subject { id police { known warningMarkers } } }
}`;
const service = "{ _service { sdl } }";

const claims = (token: string) =>
  JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<
    string,
    unknown
  >;

const someone: CallerContext = { sub: "pc.jones", roles: ["police_officer"], rid: "r-test" };

const bodyFor = (query: string) =>
  JSON.stringify({
    query,
    variables: { representations: [{ __typename: "Subject", id: "S-1001" }] },
  });

/** Posts straight to a subgraph, as anyone on its network could, bypassing the gateway. */
async function direct(subgraph: RunningSubgraph, query: string, context?: string, body?: string) {
  const response = await fetch(subgraph.url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(context === undefined ? {} : { "x-mash-context": context }),
    },
    body: body ?? bodyFor(query),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function expectRefused(
  answer: { status: number; body: Record<string, unknown> },
  message: RegExp,
): void {
  expect(answer.status).toBe(401);
  expect(answer.body).toEqual({
    errors: [{ message: expect.stringMatching(message), extensions: { code: "UNAUTHENTICATED" } }],
  });
}

/** The subgraph's own record of what it served and refused, everything queued written first. */
async function servedLog(subgraph: RunningSubgraph): Promise<ServedRow[]> {
  await subgraph.servedLog.flush();
  const db = subgraph.store.db as unknown as Kysely<ServedTables>;
  const rows = await db.selectFrom("served_requests").selectAll().orderBy("id").execute();
  return rows as ServedRow[];
}

describe("subgraphs answer only the gateway", () => {
  let system: TestSystem;
  let police: RunningSubgraph;
  let hub: RunningSubgraph;
  beforeAll(async () => {
    system = await startSystem({ subjects: 20, recordSubgraphRequests: true });
    police = system.subgraphs.find((s) => s.name === "police") as RunningSubgraph;
    hub = system.subgraphs.find((s) => s.name === "mash") as RunningSubgraph;
  });
  afterAll(() => system?.stop());
  beforeEach(() => {
    system.subgraphRequests.length = 0;
  });

  it("refuses _entities and _service without a context, on every subgraph", async () => {
    for (const subgraph of system.subgraphs) {
      expectRefused(await direct(subgraph, entities), /carries no X-MASH-Context/);
      expectRefused(await direct(subgraph, service), /carries no X-MASH-Context/);
    }
    const get = await fetch(`${police.url}?query=${encodeURIComponent(service)}`, {
      headers: { "apollo-require-preflight": "1" },
    });
    expect(get.status).toBe(401);
  });

  it("refuses forged, altered and misaddressed contexts, and answers the gateway's own", async () => {
    const body = bodyFor(entities);
    const forger = await newContextKeyPair();
    const forged = await importSigningKey(forger.privateJwk);
    const underTrustedKid = { ...forged, kid: system.contextKey.kid };
    expectRefused(
      await direct(police, entities, await signContext(underTrustedKid, "police", someone, body)),
      /does not verify/,
    );
    expectRefused(
      await direct(police, entities, await signContext(forged, "police", someone, body)),
      /a key this subgraph does not trust/,
    );

    const genuine = await signContext(system.contextKey, "police", someone, body);
    const [header, payload, signature] = genuine.split(".");
    const raised = Buffer.from(
      JSON.stringify({ ...claims(genuine), roles: ["mash_manager"] }),
    ).toString("base64url");
    expectRefused(
      await direct(police, entities, `${header}.${raised}.${signature}`),
      /does not verify/,
    );
    expect(payload).not.toBe(raised);

    const forHealth = await signContext(system.contextKey, "health", someone, body);
    expectRefused(await direct(police, entities, forHealth), /addressed to another subgraph/);
    const stale = Math.floor(Date.now() / 1000) - 120;
    expectRefused(
      await direct(
        police,
        entities,
        await signContext(system.contextKey, "police", someone, body, stale),
      ),
      /has expired/,
    );
    // Signed for another request: here the schema fetch's body, used for _entities.
    const forService = await signContext(system.contextKey, "police", someone, bodyFor(service));
    expectRefused(await direct(police, entities, forService), /another request body/);

    // The same request with a context the gateway's key signed for police, for this body, is answered.
    const answered = await direct(police, entities, genuine);
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({ data: { _entities: [{ id: "S-1001" }] } });
    // Once.
    expectRefused(await direct(police, entities, genuine), /used before/);
  });

  it("answers GraphQL over POST only, even to a signed context", async () => {
    const url = `${police.url}?query=${encodeURIComponent(service)}`;
    const response = await fetch(url, {
      headers: {
        "apollo-require-preflight": "1",
        "x-mash-context": await signContext(system.contextKey, "police", someone, ""),
      },
    });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
  });

  it("tells anything between it and the gateway to keep none of its answers", async () => {
    for (const subgraph of [police, hub]) {
      const body = JSON.stringify({ query: service });
      const response = await fetch(subgraph.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-mash-context": await signContext(system.contextKey, subgraph.name, someone, body),
        },
        body,
      });
      expect(response.status).toBe(200);
      expect(response.headers.get("cache-control")).toBe("no-store");
    }
  });

  it("keeps every store, key and log file to its owner, in directories only the owner enters", () => {
    const mode = (path: string) => statSync(path).mode & 0o777;
    const gatewayData = system.identity.dataDir;
    expect(mode(gatewayData)).toBe(0o700);
    const files = readdirSync(gatewayData);
    expect(files).toEqual(
      expect.arrayContaining([
        "audit.sqlite",
        "policies.sqlite",
        "gateway-context-key.json",
        "gateway-dev-signing-key.json",
      ]),
    );
    for (const file of files) expect([file, mode(join(gatewayData, file))]).toEqual([file, 0o600]);
    const store = police.store.config;
    if (store.kind !== "sqlite") throw new Error("the suite runs on SQLite");
    for (const file of readdirSync(dirname(store.file)))
      expect([file, mode(join(dirname(store.file), file))]).toEqual([file, 0o600]);
  });

  it("keeps /health open for the gateway's checks", async () => {
    const response = await fetch(police.url.replace("/graphql", "/health"));
    expect(response.status).toBe(200);
  });

  it("signs every fetch of a client request for its subgraph, user, purpose, request id and body", async () => {
    const response = await fetch(system.gatewayUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(await system.headersFor({ as: "sw.patel", enquiry: "ENQ-2001" })),
      },
      body: JSON.stringify({ query: '{ subject(id: "S-1001") { id police { known } } }' }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ data: { subject: { id: "S-1001" } } });
    const rid = response.headers.get("x-request-id");
    expect(rid).toMatch(/^[0-9a-f-]{36}$/);

    const fetches = system.subgraphRequests;
    expect(fetches.map((f) => f.subgraph)).toEqual(expect.arrayContaining(["mash", "police"]));
    const jtis = new Set<unknown>();
    for (const f of fetches) {
      expect(f.context).toBeDefined();
      const c = claims(f.context as string);
      expect(c).toMatchObject({ iss: "mash-gateway", aud: f.subgraph, rid });
      expect((c.exp as number) - (c.iat as number)).toBe(CONTEXT_LIFETIME_SECONDS);
      expect(c.bdy).toMatch(/^[A-Za-z0-9_-]{43}$/);
      jtis.add(c.jti);
      if (f.query.includes("StatedEnquiry")) {
        // The purpose lookup is the gateway's own, made for no user.
        expect(c).toMatchObject({ sub: "mash-gateway", roles: [] });
      } else {
        expect(c).toMatchObject({
          sub: "sw.patel",
          roles: ["social_worker"],
          agency: "childrens-services",
          enquiry: "ENQ-2001",
        });
      }
    }
    expect(jtis.size).toBe(fetches.length);
    expect(fetches.some((f) => f.query.includes("StatedEnquiry"))).toBe(true);
  });

  it("gives every client request its own X-Request-Id, refused ones included", async () => {
    const ask = () =>
      fetch(system.gatewayUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ __typename }" }),
      });
    const [first, second] = await Promise.all([ask(), ask()]);
    expect([first?.status, second?.status]).toEqual([401, 401]);
    const ids = [first, second].map((r) => r?.headers.get("x-request-id"));
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[1]).not.toBe(ids[0]);
  });

  describe("a header captured from the gateway's traffic", () => {
    const captured: CapturedRequest[] = [];
    let gateway: RunningGateway;
    const proxies: { stop(): Promise<void> }[] = [];
    let rid: string;

    // A second gateway with the same key and identity, whose every subgraph request passes
    // through a proxy that keeps it byte for byte: the eavesdropper of the issue.
    beforeAll(async () => {
      const endpoints = [];
      for (const s of system.subgraphs) {
        const proxy = await captureProxy(s, captured);
        proxies.push(proxy);
        endpoints.push({ name: s.name, url: proxy.url });
      }
      gateway = await startGateway(testGatewayConfig(endpoints), {
        logger: createLogger("test", "error"),
        identity: system.identity,
        contextKey: system.contextKey,
      });
      captured.length = 0;
      const response = await fetch(gateway.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(await system.headersFor({ as: "sw.patel", enquiry: "ENQ-2001" })),
        },
        body: JSON.stringify({
          query: '{ subject(id: "S-1001") { id nhsNumber police { known warningMarkers } } }',
        }),
      });
      expect(response.status).toBe(200);
      rid = response.headers.get("x-request-id") as string;
    });
    afterAll(async () => {
      await gateway?.stop();
      await Promise.all(proxies.map((p) => p.stop()));
    });

    const policeFetch = () => {
      const f = captured.find((c) => c.subgraph === "police" && c.method === "POST");
      if (!f) throw new Error("the gateway sent police nothing");
      return f;
    };

    it("was signed over exactly the bytes sent", () => {
      expect(captured.length).toBeGreaterThan(1);
      for (const c of captured) {
        const token = c.headers["x-mash-context"] as string;
        expect(claims(token).bdy).toBe(createHash("sha256").update(c.body).digest("base64url"));
        expect(claims(token).bdy).toBe(bodyDigest(c.body));
      }
    });

    it("is refused when replayed, five times over, to police and to the hub", async () => {
      const request = policeFetch();
      for (let i = 0; i < 5; i++) {
        const answer = await replay(police.url, request);
        expectRefused(answer, /used before/);
        expect(JSON.stringify(answer.body)).not.toContain("warningMarkers");
      }
      const hubFetch = captured.find((c) => c.subgraph === "mash" && c.method === "POST");
      if (!hubFetch) throw new Error("the gateway sent the hub nothing");
      expectRefused(await replay(hub.url, hubFetch), /used before/);
    });

    it("is refused with any other body: another subject, another query", async () => {
      const request = policeFetch();
      const other = request.body.toString("utf8").replace(/S-1001/g, "S-1002");
      expectRefused(await replay(police.url, request, other), /another request body/);
      expectRefused(await replay(police.url, request, bodyFor(service)), /another request body/);
    });

    it("leaves police its own record: the fetch it served, and every refusal with its reason", async () => {
      const rows = (await servedLog(police)).filter((r) => r.rid === rid);
      const request = policeFetch();
      const token = claims(request.headers["x-mash-context"] as string);
      const served = rows.filter((r) => r.outcome === "served");
      expect(served).toEqual([
        expect.objectContaining({
          rid,
          jti: token.jti,
          body_digest: bodyDigest(request.body),
          sub: "sw.patel",
          roles: "social_worker",
          enquiry: "ENQ-2001",
          operation: "query",
          root_fields: "_entities",
          entities: 1,
          status: 200,
        }),
      ]);
      expect(served[0]?.at).toMatch(/^\d{4}-\d\d-\d\dT/);
      const refused = rows.filter((r) => r.outcome === "refused").map((r) => r.reason);
      expect(refused.filter((r) => r === "replayed")).toHaveLength(5);
      expect(refused.filter((r) => r === "body")).toHaveLength(2);
      // An unsigned request has no rid to record, but its refusal is there all the same.
      const unsigned = (await servedLog(police)).filter(
        (r) => r.outcome === "refused" && r.reason === "missing",
      );
      expect(unsigned.length).toBeGreaterThan(0);
      expect(unsigned[0]).toMatchObject({ rid: null, sub: null, jti: null });
    });

    it("leaves the hub its own record too", async () => {
      const rows = (await servedLog(hub)).filter((r) => r.rid === rid);
      expect(rows.some((r) => r.outcome === "served" && r.sub === "sw.patel")).toBe(true);
      // The purpose lookup, the gateway's own, carries the client request's id.
      expect(
        rows.some(
          (r) => r.outcome === "served" && r.sub === "mash-gateway" && r.root_fields === "enquiry",
        ),
      ).toBe(true);
      expect(rows.some((r) => r.outcome === "refused" && r.reason === "replayed")).toBe(true);
    });
  });
});
