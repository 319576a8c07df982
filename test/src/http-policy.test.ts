import { createServer, type Server } from "node:http";
import { type RunningGateway, startGateway, supergraphFile } from "@mash/gateway";
import { createLogger } from "@mash/kit";
import { close, listen } from "@mash/kit/http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSystem, type TestSystem, testGatewayConfig } from "./system.ts";

const quiet = createLogger("test", "silent");
const ALLOWED = "https://mash.example-council.gov.uk";

describe("the gateway's HTTP policy", () => {
  let system: TestSystem;
  let gateway: RunningGateway;
  let hanging: Server;

  beforeAll(async () => {
    system = await startSystem({ subjects: 20 });
    // A "subgraph" that accepts connections and never answers: the slow agency.
    hanging = createServer(() => {});
    const port = await listen(hanging, 0, "127.0.0.1");
    const endpoints = system.subgraphs.map((s) => ({
      name: s.name,
      url: s.name === "probation" ? `http://127.0.0.1:${port}/graphql` : s.url,
    }));
    gateway = await startGateway(
      testGatewayConfig(endpoints, {
        corsOrigins: [ALLOWED],
        subgraphRequestTimeoutMs: 300,
        supergraphFile,
      }),
      {
        logger: quiet,
        identity: system.identity,
        contextKey: system.contextKey,
        watchPolicies: false,
      },
    );
  });
  afterAll(async () => {
    await gateway?.stop();
    hanging?.closeAllConnections();
    await close(hanging);
    await system?.stop();
  });

  const post = async (
    headers: Record<string, string>,
    query = '{ subject(id: "S-1003") { name { given } probation { known } } }',
  ) =>
    fetch(gateway.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(await system.headersFor({ as: "pc.jones" })),
        ...headers,
      },
      body: JSON.stringify({ query }),
    });

  it("sends security headers and a request id on every response", async () => {
    for (const response of [
      await post({}),
      await fetch(gateway.url.replace("/graphql", "/health")),
      await fetch(gateway.url.replace("/graphql", "/nope")),
    ]) {
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("referrer-policy")).toBe("no-referrer");
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
      await response.body?.cancel();
    }
  });

  it("answers an allowed origin's preflight and refuses another's", async () => {
    const preflight = (origin: string) =>
      fetch(gateway.url, {
        method: "OPTIONS",
        headers: {
          origin,
          "access-control-request-method": "POST",
          "access-control-request-headers": "authorization, content-type",
        },
      });
    const ok = await preflight(ALLOWED);
    expect(ok.status).toBe(204);
    expect(ok.headers.get("access-control-allow-origin")).toBe(ALLOWED);
    expect(ok.headers.get("access-control-allow-headers")).toContain("x-mash-enquiry");
    const evil = await preflight("https://evil.example");
    expect(evil.status).toBe(403);
    expect(evil.headers.get("access-control-allow-origin")).toBeNull();
    const cross = await post({ origin: ALLOWED });
    expect(cross.headers.get("access-control-allow-origin")).toBe(ALLOWED);
    await cross.body?.cancel();
  });

  // The "subgraph" never answers, so this request completes only because the deadline fires.
  it("gives up on a slow agency at its deadline and answers with the rest", async () => {
    const response = await post({});
    const body = (await response.json()) as {
      data: { subject: Record<string, unknown> };
      errors: { path: string[]; extensions: Record<string, unknown> }[];
    };
    expect(body.data.subject).toEqual({ name: { given: "Ryan" }, probation: null });
    expect(body.errors).toEqual([
      expect.objectContaining({
        path: ["subject", "probation"],
        extensions: { code: "AGENCY_UNAVAILABLE", agency: "probation" },
      }),
    ]);
  });
});
