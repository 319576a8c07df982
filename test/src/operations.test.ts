import { createServer, type Server } from "node:http";
import { startGateway } from "@mash/gateway";
import { createLogger } from "@mash/kit";
import { close, listen, readBody } from "@mash/kit/http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSystem, type TestSystem, testGatewayConfig } from "./system.ts";

type Line = Record<string, unknown>;

/** A logger that keeps its JSON lines for the test to read. */
function capturedLogger() {
  const lines: Line[] = [];
  const raw: string[] = [];
  const logger = createLogger("test", "info", {
    write(line: string) {
      raw.push(line);
      lines.push(JSON.parse(line) as Line);
    },
  });
  return { logger, lines, raw };
}

/** The operator's credential for /metrics on the gateway's own port. */
const OPERATOR = "operator-credential-0123456789abcdef";
const INTEL =
  'query Intel { subject(id: "S-1003") { police { intelligence { summary source } } } }';
const HEALTH = 'query Gp { subject(id: "S-1002") { health { known } } }';

describe("operations: metrics and request logs", () => {
  let system: TestSystem;
  const log = capturedLogger();
  let rid: string | null = null;
  let token = "";

  beforeAll(async () => {
    system = await startSystem({
      subjects: 20,
      logger: log.logger,
      gateway: { metrics: { token: OPERATOR, address: { host: "127.0.0.1", port: 0 } } },
    });
    token = await system.token("sw.patel");
    const headers = {
      "content-type": "application/json",
      ...(await system.headersFor({ as: "sw.patel", enquiry: "ENQ-2001" })),
    };
    // One answer with a withheld field (the source of the one item shown: the code C item is
    // left out), one refused without a token, and
    // one to an agency that is down.
    const withheld = await fetch(system.gatewayUrl, {
      method: "POST",
      headers,
      body: JSON.stringify({ query: INTEL }),
    });
    expect(withheld.status).toBe(200);
    rid = withheld.headers.get("x-request-id");
    await withheld.text();
    expect((await system.query("{ __typename }")).status).toBe(401);
    await system.subgraphs.find((s) => s.name === "health")?.stop();
    const down = await system.query(HEALTH, {}, { as: "sw.patel", enquiry: "ENQ-2001" });
    expect(down.body.errors?.[0]?.extensions?.code).toBe("AGENCY_UNAVAILABLE");
  });
  afterAll(() => system?.stop());

  const operatorMetrics = async () => {
    const url = system.gateway.metricsUrl;
    if (!url) throw new Error("no operator metrics address");
    const response = await fetch(url);
    expect(response.status).toBe(200);
    return response.text();
  };

  it("serves /metrics on the operator's address, with counts by type, status, agency and subgraph", async () => {
    const response = await fetch(system.gateway.metricsUrl ?? "");
    expect(response.headers.get("content-type")).toContain("text/plain");
    const text = await operatorMetrics();
    expect(text).toContain('mash_gateway_requests_total{operation_type="query",status="200"} 2');
    expect(text).toContain('mash_gateway_requests_total{operation_type="unknown",status="401"} 1');
    expect(text).toContain('mash_gateway_withheld_fields_total{agency="police"} 1');
    expect(text).toMatch(/mash_gateway_subgraph_fetch_errors_total\{subgraph="health"\} [1-9]/);
    expect(text).not.toMatch(/mash_gateway_subgraph_fetch_errors_total\{subgraph="police"\}/);
    expect(text).toMatch(
      /mash_gateway_subgraph_fetch_duration_seconds_count\{subgraph="police"\} [1-9]/,
    );
    expect(text).toMatch(/mash_gateway_request_duration_seconds_count\{operation_type="query"\} 2/);
    expect(text).toContain("process_cpu_user_seconds_total");
    // The operator's listener serves nothing else.
    expect((await fetch(new URL("/graphql", system.gateway.metricsUrl))).status).toBe(404);
  });

  it("serves /metrics on the gateway's port only with the operator's credential", async () => {
    const at = new URL("/metrics", system.gatewayUrl);
    const anyone = await fetch(at);
    expect(anyone.status).toBe(401);
    expect(anyone.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(await anyone.text()).not.toContain("mash_gateway");
    // A practitioner's own token is not the operator's credential.
    const practitioner = await fetch(at, { headers: { authorization: `Bearer ${token}` } });
    expect(practitioner.status).toBe(401);
    const wrong = await fetch(at, { headers: { authorization: `Bearer ${OPERATOR.slice(1)}x` } });
    expect(wrong.status).toBe(401);
    const operator = await fetch(at, { headers: { authorization: `Bearer ${OPERATOR}` } });
    expect(operator.status).toBe(200);
    expect(await operator.text()).toContain("mash_gateway_requests_total");
  });

  it("puts no user, subject, enquiry, record or rule in /metrics", async () => {
    const text = await operatorMetrics();
    for (const personal of ["sw.patel", "Priya", "S-1003", "S-1002", "ENQ-2001", "drinking"])
      expect(text).not.toContain(personal);
    // No per-rule counts: set beside one's own requests, they would tell which rule withheld what.
    expect(text).not.toMatch(/rule="/);
  });

  it("logs one line per GraphQL request with rid, user id, operation, status and duration", () => {
    const gatewayLine = log.lines.find(
      (l) => l.msg === "graphql request" && l.rid === rid && "user" in l,
    );
    expect(gatewayLine).toMatchObject({
      level: "info",
      rid,
      user: "sw.patel",
      operation: "Intel",
      operationType: "query",
      status: 200,
    });
    expect(typeof gatewayLine?.ms).toBe("number");
    const refused = log.lines.find((l) => l.msg === "graphql request" && l.status === 401);
    expect(refused).toMatchObject({ operationType: "unknown" });
    expect(refused?.user).toBeUndefined();
  });

  it("logs the same rid in the subgraph's line for that request", () => {
    const subgraphLine = log.lines.find(
      (l) => l.msg === "graphql request" && l.rid === rid && !("user" in l),
    );
    expect(subgraphLine).toMatchObject({ level: "info", status: 200 });
  });

  it("never logs the token, the user's name or record values", () => {
    const all = log.raw.join("");
    expect(all).not.toContain(token);
    expect(all).not.toContain(token.split(".")[1]);
    expect(all).not.toContain("Priya");
    expect(all).not.toContain("drinking heavily");
  });
});

describe("graceful shutdown", () => {
  let system: TestSystem;
  let proxy: Server | undefined;
  beforeAll(async () => {
    system = await startSystem({ subjects: 20 });
  });
  afterAll(async () => {
    if (proxy) await close(proxy);
    await system?.stop();
  });

  it("serves no metrics at all when no operator address or credential is configured", async () => {
    const response = await fetch(new URL("/metrics", system.gatewayUrl));
    expect(response.status).toBe(404);
    expect(await response.text()).toMatch(/MASH_METRICS_ADDRESS.*MASH_METRICS_TOKEN/);
    expect(system.gateway.metricsUrl).toBeUndefined();
  });

  it("lets a request in flight finish with 200, then refuses new connections", async () => {
    // A slow police subgraph: the request is in flight at the gateway while stop() is called.
    const police = system.subgraphs.find((s) => s.name === "police");
    if (!police) throw new Error("no police subgraph");
    let slow = false;
    let arrived: () => void = () => {};
    const inFlight = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    proxy = createServer(async (req, res) => {
      const body = await readBody(req, 10_000_000);
      if (slow) {
        arrived();
        await new Promise((r) => setTimeout(r, 1000));
      }
      const context = req.headers["x-mash-context"];
      const upstream = await fetch(police.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(typeof context === "string" ? { "x-mash-context": context } : {}),
        },
        body,
      });
      res.writeHead(upstream.status, { "content-type": "application/json" });
      res.end(await upstream.text());
    });
    const port = await listen(proxy, 0, "127.0.0.1");
    const endpoints = system.subgraphs.map((s) => ({
      name: s.name,
      url: s.name === "police" ? `http://127.0.0.1:${port}/graphql` : s.url,
    }));
    const gateway = await startGateway(testGatewayConfig(endpoints), {
      logger: createLogger("test", "silent"),
      identity: system.identity,
      contextKey: system.contextKey,
      watchPolicies: false,
    });
    slow = true;
    const headers = {
      "content-type": "application/json",
      ...(await system.headersFor({ as: "sw.patel", enquiry: "ENQ-2001" })),
    };
    const request = fetch(gateway.url, {
      method: "POST",
      headers,
      body: JSON.stringify({ query: '{ subject(id: "S-1003") { police { known } } }' }),
    });
    await inFlight;
    const started = performance.now();
    const stopped = gateway.stop();
    const response = await request;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { subject: { police: { known: true } } } });
    await stopped;
    // The client's keep-alive socket is closed once its response is sent, not left to time out.
    expect(performance.now() - started).toBeLessThan(3000);
    await expect(
      fetch(gateway.url, {
        method: "POST",
        headers,
        body: JSON.stringify({ query: "{ __typename }" }),
      }),
    ).rejects.toThrow();
  });
});
