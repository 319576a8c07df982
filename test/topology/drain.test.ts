import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSystem, type TestSystem } from "../src/system.ts";
import { startNode } from "./processes.ts";

/** A GET or POST on a connection of its own, with the answer's headers as sent. */
function send(url: string, body?: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; connection: string | undefined; body: string }>(
    (resolve, reject) => {
      const req = request(url, { method: body ? "POST" : "GET", headers }, (res) => {
        let text = "";
        res.on("data", (d) => {
          text += d;
        });
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body: text }),
        );
      });
      req.on("error", reject);
      req.end(body);
    },
  );
}

/**
 * The first step of a graceful stop (SIGTERM, then MASH_SHUTDOWN_DELAY_MS): the gateway says it
 * is unhealthy, so that a load balancer takes it out, while it goes on answering every request,
 * each on a connection it then closes, so that the balancer keeps none to a gateway about to go.
 */
describe("a draining gateway", () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startSystem({ subjects: 20 });
  });
  afterAll(() => system?.stop());

  it("answers /health 503 and still serves, closing each connection", async () => {
    const health = system.gatewayUrl.replace(/\/graphql$/, "/health");
    const query = JSON.stringify({ query: '{ subject(id: "S-1001") { id } }' });
    const headers = {
      "content-type": "application/json",
      ...(await system.headersFor({ as: "sw.patel" })),
    };
    expect((await send(health)).status).toBe(200);
    const before = await send(system.gatewayUrl, query, headers);
    expect(before.connection).toBe("keep-alive");

    expect((await send(`${health}/ready`)).status).toBe(200);
    system.gateway.drain();
    const draining = await send(health);
    expect(draining.status).toBe(503);
    expect(JSON.parse(draining.body)).toEqual({ status: "draining" });
    // Answered at once, before any other listener of the request: still on a closing connection.
    expect(draining.connection).toBe("close");
    const notReady = await send(`${health}/ready`);
    expect(notReady.status).toBe(503);
    expect(JSON.parse(notReady.body)).toEqual({ status: "draining" });
    const served = await send(system.gatewayUrl, query, headers);
    expect(served.status).toBe(200);
    expect(JSON.parse(served.body)).toEqual({ data: { subject: { id: "S-1001" } } });
    expect(served.connection).toBe("close");
  });
});

describe("a gateway with an agency down", () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startSystem({ subjects: 20 });
  });
  afterAll(() => system?.stop());

  // Behind a load balancer checking /health, one agency's outage would take every gateway out,
  // though each still answers with that agency's section missing: /health/ready is the check.
  it("is still ready, while /health names the agency", async () => {
    const health = system.gatewayUrl.replace(/\/graphql$/, "/health");
    await system.subgraphs.find((s) => s.name === "probation")?.stop();
    const whole = await send(health);
    expect(whole.status).toBe(503);
    expect(JSON.parse(whole.body).unavailable).toEqual(["probation"]);
    const ready = await send(`${health}/ready`);
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toMatchObject({ status: "ready" });
  });
});

describe("MASH_SHUTDOWN_DELAY_MS", () => {
  it("stops the gateway at start, naming the setting, when it is not a number of milliseconds", async () => {
    // Were the setting taken, the gateway would go on to start; nothing of it may land here.
    const dataDir = mkdtempSync(join(tmpdir(), "mash-drain-"));
    try {
      const gateway = startNode("gateway", "gateway/src/main.ts", {
        PORT: "0",
        MASH_DATA_DIR: dataDir,
        MASH_SHUTDOWN_DELAY_MS: "2s",
      });
      await expect(gateway.ready).rejects.toThrow(
        'MASH_SHUTDOWN_DELAY_MS: "2s" is not a whole number from 0 to 60000',
      );
      expect(await gateway.exited).toBe("exit 1");
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
