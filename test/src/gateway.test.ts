import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  CompositionError,
  DEVELOPMENT_IDENTITY_WARNING,
  devUsers,
  type GatewayConfig,
  loadDevSigningKey,
  loadIdentityConfig,
  signDevToken,
  startGateway,
} from "@mash/gateway";
import { createLogger, type Logger } from "@mash/kit";
import { close, listen, sendJson } from "@mash/kit/http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSystem, type TestSystem, testGatewayConfig } from "./system.ts";

const quiet = createLogger("test", "silent");

const identity = loadIdentityConfig({
  MASH_DATA_DIR: mkdtempSync(join(tmpdir(), "mash-gw-test-")),
});
// The second gateways these tests start keep their keys and access log here; removed at the end.
afterAll(() => rmSync(identity.dataDir, { recursive: true, force: true }));

function config(overrides: Partial<GatewayConfig>): GatewayConfig {
  return testGatewayConfig([], overrides);
}

function capturingLogger(): { logger: Logger; warnings: string[] } {
  const warnings: string[] = [];
  const logger: Logger = { ...quiet, warn: (msg) => warnings.push(msg) };
  return { logger, warnings };
}

describe("the gateway over running subgraphs", () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startSystem({ subjects: 50 });
  });
  afterAll(() => system?.stop());

  it("reports healthy when the supergraph is loaded and every subgraph answers", async () => {
    const response = await fetch(system.gatewayUrl.replace("/graphql", "/health"));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; subgraphs: Record<string, string> };
    expect(body.status).toBe("ok");
    expect(Object.keys(body.subgraphs).sort()).toEqual(system.subgraphs.map((s) => s.name).sort());
    expect(Object.values(body.subgraphs).every((v) => v === "ok")).toBe(true);
  });

  it("never shows a client the query plan, whatever it asks", async () => {
    const response = await fetch(system.gatewayUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "apollo-query-plan-experimental": "1",
        ...(await system.headersFor({ as: "pc.jones" })),
      },
      body: JSON.stringify({ query: '{ subject(id: "S-1001") { id police { known } } }' }),
    });
    const body = (await response.json()) as { data: { subject: { id: string } } };
    expect(body.data.subject.id).toBe("S-1001");
    expect(JSON.stringify(body)).not.toMatch(/queryPlan|Fetch\(service/);
  });

  it("turns Apollo's telemetry off", () => {
    expect(process.env.APOLLO_TELEMETRY_DISABLED).toBe("true");
  });

  it("names the subgraph that is down, with 503", async () => {
    const police = system.subgraphs.find((s) => s.name === "police");
    if (!police) throw new Error("no police subgraph");
    await police.stop();
    const health = system.gatewayUrl.replace("/graphql", "/health");
    const down = await fetch(health);
    expect(down.status).toBe(503);
    const body = (await down.json()) as {
      unavailable: string[];
      subgraphs: Record<string, string>;
    };
    expect(body.unavailable).toEqual(["police"]);
    expect(body.subgraphs.police).toBe("unreachable");
    expect(body.subgraphs.mash).toBe("ok");
  });
});

describe("starting the gateway", () => {
  it("runs from a given supergraph file, warning that development sign-in is on", async () => {
    const system = await startSystem({ subjects: 20 });
    const { logger, warnings } = capturingLogger();
    try {
      const gateway = await startGateway(
        config({
          subgraphs: system.subgraphs.map((s) => ({ name: s.name, url: s.url })),
          supergraphFile: fileURLToPath(
            new URL("../../gateway/supergraph.graphql", import.meta.url),
          ),
          subgraphTimeoutMs: 2000,
        }),
        // Its own sign-in, but the subgraphs answer only contexts signed with the system's key.
        { logger: logger, identity, contextKey: system.contextKey },
      );
      try {
        expect(warnings).toContain(DEVELOPMENT_IDENTITY_WARNING);
        expect(gateway.supergraphSource).toMatch(/supergraph\.graphql$/);
        const user = devUsers().find((u) => u.username === "po.khan");
        const token = user && (await signDevToken(await loadDevSigningKey(identity.dataDir), user));
        const response = await fetch(gateway.url, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
          body: JSON.stringify({
            query: '{ subject(id: "S-1003") { name { given } probation { mappaLevel } } }',
          }),
        });
        expect(await response.json()).toEqual({
          data: { subject: { name: { given: "Ryan" }, probation: { mappaLevel: 2 } } },
        });
      } finally {
        await gateway.stop();
      }
    } finally {
      await system.stop();
    }
  });

  it("refuses to start when the subgraphs do not compose, naming subgraph, type and field", async () => {
    // A stand-in agency whose schema claims a hub field with another type.
    const sdl = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])
type Subject @key(fields: "id") { id: ID! sealed: String }`;
    const fake = createServer((_, res) => sendJson(res, 200, { data: { _service: { sdl } } }));
    const port = await listen(fake, 0, "127.0.0.1");
    const system = await startSystem({ subjects: 10 });
    try {
      const mash = system.subgraphs.find((s) => s.name === "mash");
      const error = await startGateway(
        config({
          subgraphs: [
            { name: "mash", url: mash?.url ?? "" },
            { name: "rogue", url: `http://127.0.0.1:${port}/graphql` },
          ],
          supergraphFile: undefined,
          subgraphTimeoutMs: 2000,
        }),
        { logger: quiet, identity, contextKey: system.contextKey },
      ).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(CompositionError);
      expect((error as Error).message).toMatch(
        /"Subject\.sealed".*subgraph "mash".*subgraph "rogue"/,
      );
    } finally {
      await system.stop();
      await close(fake);
    }
  });

  it("leaves nothing listening when it cannot start its operator's metrics address", async () => {
    const system = await startSystem({ subjects: 10 });
    const taken = createServer();
    const takenPort = await listen(taken, 0, "127.0.0.1");
    const free = createServer();
    const gatewayPort = await listen(free, 0, "127.0.0.1");
    await close(free);
    try {
      const error = await startGateway(
        config({
          port: gatewayPort,
          subgraphs: system.subgraphs.map((s) => ({ name: s.name, url: s.url })),
          supergraphFile: undefined,
          metrics: { token: undefined, address: { host: "127.0.0.1", port: takenPort } },
        }),
        { logger: quiet, identity, contextKey: system.contextKey },
      ).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(Error);
      // The gateway's own port was let go again: another process may listen on it.
      const again = createServer();
      await expect(listen(again, gatewayPort, "127.0.0.1")).resolves.toBe(gatewayPort);
      await close(again);
    } finally {
      await close(taken);
      await system.stop();
    }
  });

  it("names a subgraph that does not answer", async () => {
    const error = await startGateway(
      config({
        subgraphs: [{ name: "police", url: "http://127.0.0.1:9/graphql" }],
        supergraphFile: undefined,
        subgraphTimeoutMs: 500,
      }),
      { logger: quiet, identity },
    ).then(
      () => null,
      (e: unknown) => e,
    );
    expect((error as Error).message).toMatch(
      /subgraph "police" at http:\/\/127.0.0.1:9\/graphql did not answer/,
    );
  });
});
