import {
  type CallerContext,
  importSigningKey,
  newContextKeyPair,
  type RunningSubgraph,
  signContext,
} from "@mash/kit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSystem, type TestSystem } from "./system.ts";

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

/** Posts straight to a subgraph, as anyone on its network could, bypassing the gateway. */
async function direct(subgraph: RunningSubgraph, query: string, context?: string) {
  const response = await fetch(subgraph.url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(context === undefined ? {} : { "x-mash-context": context }),
    },
    body: JSON.stringify({
      query,
      variables: { representations: [{ __typename: "Subject", id: "S-1001" }] },
    }),
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

describe("subgraphs answer only the gateway", () => {
  let system: TestSystem;
  let police: RunningSubgraph;
  beforeAll(async () => {
    system = await startSystem({ subjects: 20, recordSubgraphRequests: true });
    police = system.subgraphs.find((s) => s.name === "police") as RunningSubgraph;
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
    const forger = await newContextKeyPair();
    const forged = await importSigningKey(forger.privateJwk);
    const underTrustedKid = { ...forged, kid: system.contextKey.kid };
    expectRefused(
      await direct(police, entities, await signContext(underTrustedKid, "police", someone)),
      /does not verify/,
    );
    expectRefused(
      await direct(police, service, await signContext(forged, "police", someone)),
      /a key this subgraph does not trust/,
    );

    const genuine = await signContext(system.contextKey, "police", someone);
    const [header, payload, signature] = genuine.split(".");
    const raised = Buffer.from(
      JSON.stringify({ ...claims(genuine), roles: ["mash_manager"] }),
    ).toString("base64url");
    expectRefused(
      await direct(police, entities, `${header}.${raised}.${signature}`),
      /does not verify/,
    );
    expect(payload).not.toBe(raised);

    const forHealth = await signContext(system.contextKey, "health", someone);
    expectRefused(await direct(police, entities, forHealth), /addressed to another subgraph/);
    const stale = Math.floor(Date.now() / 1000) - 120;
    expectRefused(
      await direct(
        police,
        entities,
        await signContext(system.contextKey, "police", someone, stale),
      ),
      /has expired/,
    );

    // The same request with a context the gateway's key signed for police is answered.
    const answered = await direct(police, entities, genuine);
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({ data: { _entities: [{ id: "S-1001" }] } });
  });

  it("keeps /health open for the gateway's checks", async () => {
    const response = await fetch(police.url.replace("/graphql", "/health"));
    expect(response.status).toBe(200);
  });

  it("signs every fetch of a client request for its subgraph, user, purpose and request id", async () => {
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
    for (const f of fetches) {
      expect(f.context).toBeDefined();
      const c = claims(f.context as string);
      expect(c).toMatchObject({ iss: "mash-gateway", aud: f.subgraph, rid });
      expect((c.exp as number) - (c.iat as number)).toBe(60);
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
});
