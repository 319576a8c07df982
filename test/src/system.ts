import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  devUsers,
  type GatewayConfig,
  type GatewayOptions,
  type IdentityConfig,
  loadDevSigningKey,
  loadGatewayConfig,
  loadIdentityConfig,
  type RunningGateway,
  signDevToken,
  startGateway,
} from "@mash/gateway";
import {
  type ContextSigningKey,
  createLogger,
  devContextKey,
  importSigningKey,
  type Logger,
  publicContextJwk,
  type RunningSubgraph,
  startSubgraph,
} from "@mash/kit";
import { close, listen, readBody } from "@mash/kit/http";
import { type Backend, tempStores } from "@mash/kit/testing";
import { agencies } from "../../scripts/agencies.ts";

/**
 * The gateway's defaults, on a free port, over these subgraphs: what every test gateway uses.
 * Suites and benchmarks send thousands of requests as one user, so the per-user rate limit is
 * out of their way unless a suite sets it (rate-limit.test.ts does).
 */
export function testGatewayConfig(
  subgraphs: { name: string; url: string }[],
  overrides: Partial<GatewayConfig> = {},
): GatewayConfig {
  const defaults = loadGatewayConfig({});
  return {
    ...defaults,
    port: 0,
    host: "127.0.0.1",
    subgraphs,
    rateLimit: { ...defaults.rateLimit, perMinute: 1_000_000, burst: 1_000_000 },
    anonymousRateLimit: { perMinute: 1_000_000, burst: 1_000_000 },
    governanceRateLimit: { perMinute: 1_000_000, burst: 1_000_000 },
    ...overrides,
  };
}

export interface GraphQLBody<T> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface AsUser {
  /** A development user from the fixtures; no token at all when absent. */
  as?: string;
  /** X-MASH-Enquiry. */
  enquiry?: string;
  /** X-MASH-Break-Glass. */
  breakGlass?: string;
  headers?: Record<string, string>;
}

export interface TestSystem {
  gatewayUrl: string;
  gateway: RunningGateway;
  subgraphs: RunningSubgraph[];
  /** The development identity the gateway trusts: for starting another gateway beside it. */
  identity: IdentityConfig;
  /** The key the gateway signs subgraph contexts with; the subgraphs trust its public half. */
  contextKey: ContextSigningKey;
  /** What the gateway sent to subgraphs, with recordSubgraphRequests. */
  subgraphRequests: RecordedFetch[];
  /** A bearer token for a development user. */
  token(username: string): Promise<string>;
  headersFor(who: AsUser): Promise<Record<string, string>>;
  /** POSTs an operation to the gateway and returns the parsed body. */
  query<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    who?: AsUser,
  ): Promise<{ status: number; body: GraphQLBody<T> }>;
  stop(): Promise<void>;
}

export interface RecordedFetch {
  subgraph: string;
  query: string;
  /** The X-MASH-Context the gateway sent. */
  context: string | undefined;
  /** An entity fetch's representations' ids, in order; undefined for any other fetch. */
  representations?: unknown[];
  /** Those of the people outside the purpose, where the fetch was narrowed for them. */
  outside?: unknown[];
}

/**
 * The fixtures have officers for police and health only; tests of other agencies' notifications
 * sign in as `ig.test.<agency>`, a governance officer of that agency.
 */
function testOfficer(username: string) {
  const agency = /^ig\.test\.([a-z-]+)$/.exec(username)?.[1];
  if (!agency) return undefined;
  return {
    username,
    name: `Test IG Officer (${agency})`,
    agency,
    roles: ["governance_officer"],
  } as ReturnType<typeof devUsers>[number];
}

export interface SystemOptions {
  /** Put a recording proxy between the gateway and each subgraph. */
  recordSubgraphRequests?: boolean;
  subjects?: number;
  backend?: Backend;
  policiesDir?: string;
  authorization?: GatewayOptions["authorization"];
  /** Where the gateway and subgraphs log; errors only, on stderr, when not given. */
  logger?: Logger;
  /** Gateway configuration over testGatewayConfig's. */
  gateway?: Partial<GatewayConfig>;
}

/**
 * The whole graph in this process, on free ports and private stores: seven subgraphs seeded
 * with a small population, and the gateway composing them as `npm start` does, with the
 * development identity and the repository's policies unless told otherwise.
 */
export async function startSystem(options: SystemOptions = {}): Promise<TestSystem> {
  const temp = tempStores(options.backend ?? "sqlite");
  const gatewayData = mkdtempSync(join(tmpdir(), "mash-gateway-"));
  const quiet = options.logger ?? createLogger("test", "error");
  const subgraphs: RunningSubgraph[] = [];
  const proxies: Server[] = [];
  const cleanup = async () => {
    await Promise.all(proxies.map((p) => close(p)));
    await Promise.all(subgraphs.map((s) => s.stop()));
    await temp.cleanup();
    rmSync(gatewayData, { recursive: true, force: true });
  };
  try {
    // The development key pair in the gateway's data directory, as `npm start` would make it: a
    // second gateway given `identity` below finds and signs with the same key.
    const devKey = await devContextKey(gatewayData);
    const contextKey = await importSigningKey(devKey, "test system");
    for (const agency of agencies) {
      subgraphs.push(
        await startSubgraph(agency, {
          env: process.env,
          port: 0,
          store: temp.configFor(agency.name),
          seedSubjects: options.subjects ?? 200,
          logger: quiet,
          contextVerifyKeys: [publicContextJwk(devKey)],
        }),
      );
    }
    const subgraphRequests: RecordedFetch[] = [];
    const endpoints = await Promise.all(
      subgraphs.map(async (s) => ({
        name: s.name,
        url: options.recordSubgraphRequests
          ? await recordingProxy(s, subgraphRequests, proxies)
          : s.url,
      })),
    );
    const identity = loadIdentityConfig({ MASH_DATA_DIR: gatewayData });
    const gateway = await startGateway(
      testGatewayConfig(endpoints, {
        ...(options.policiesDir ? { policiesDir: options.policiesDir } : {}),
        ...options.gateway,
      }),
      { logger: quiet, identity, authorization: options.authorization, contextKey },
    );
    const key = await loadDevSigningKey(gatewayData);
    const tokens = new Map<string, string>();
    const token = async (username: string) => {
      let t = tokens.get(username);
      if (!t) {
        const user = devUsers().find((u) => u.username === username) ?? testOfficer(username);
        if (!user) throw new Error(`no development user ${username}`);
        t = await signDevToken(key, user);
        tokens.set(username, t);
      }
      return t;
    };
    const headersFor = async (who: AsUser) => ({
      ...(who.as ? { authorization: `Bearer ${await token(who.as)}` } : {}),
      ...(who.enquiry ? { "x-mash-enquiry": who.enquiry } : {}),
      ...(who.breakGlass ? { "x-mash-break-glass": who.breakGlass } : {}),
      ...who.headers,
    });
    return {
      gatewayUrl: gateway.url,
      gateway,
      subgraphs,
      subgraphRequests,
      identity,
      contextKey,
      token,
      headersFor,
      async query<T>(query: string, variables?: Record<string, unknown>, who: AsUser = {}) {
        const response = await fetch(gateway.url, {
          method: "POST",
          headers: { "content-type": "application/json", ...(await headersFor(who)) },
          body: JSON.stringify({ query, variables }),
        });
        return { status: response.status, body: (await response.json()) as GraphQLBody<T> };
      },
      async stop() {
        await gateway.stop();
        await cleanup();
      },
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** A pass-through proxy that keeps the query text of every request the gateway sends. */
async function recordingProxy(
  target: RunningSubgraph,
  log: RecordedFetch[],
  proxies: Server[],
): Promise<string> {
  const server = createServer(async (req, res) => {
    const body = await readBody(req, 10_000_000);
    if (req.method === "POST") {
      const parsed = JSON.parse(body) as {
        query?: string;
        variables?: Record<string, { id?: unknown }[] | undefined>;
      };
      const context = req.headers["x-mash-context"];
      const representations = parsed.variables?.representations;
      const outside = parsed.variables?._authz_outside;
      log.push({
        subgraph: target.name,
        query: parsed.query ?? "",
        context: typeof context === "string" ? context : undefined,
        ...(Array.isArray(representations)
          ? { representations: representations.map((r) => r?.id) }
          : {}),
        ...(Array.isArray(outside) ? { outside: outside.map((r) => r?.id) } : {}),
      });
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (typeof v === "string" && k !== "host" && k !== "content-length") headers[k] = v;
    }
    let upstream: Response;
    try {
      upstream = await fetch(target.url, {
        method: req.method,
        headers,
        body: req.method === "POST" ? body : undefined,
      });
    } catch {
      // The agency is down (a test stopped it): a gateway behind a real proxy sees a 502.
      res.writeHead(502).end();
      return;
    }
    res.writeHead(upstream.status, {
      "content-type": upstream.headers.get("content-type") ?? "application/json",
    });
    res.end(await upstream.text());
  });
  proxies.push(server);
  const port = await listen(server, 0, "127.0.0.1");
  return `http://127.0.0.1:${port}/graphql`;
}
