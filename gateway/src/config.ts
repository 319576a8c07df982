import { portFrom, type StoreConfig } from "@mash/kit/config";
import { ConfigError } from "@mash/kit/errors";
import { ROSTER } from "@mash/kit/roster";
import { type AuditConfig, auditConfigFrom } from "./audit/audit-config.ts";
import { defaultPoliciesDir } from "./authz/policy/policies-dir.ts";
import { parseOrigins, positive, redisUrl, wholeNumber } from "./config-values.ts";
import { impactMinCount, policyPollMs, policyStoreConfig } from "./governance/policy-config.ts";
import { defaultQueryLimits, type QueryLimits } from "./limits/query-limits-config.ts";
import { defaultRateLimit, type RateLimitConfig } from "./limits/rate-limit-config.ts";
import { type ReplyCompression, replyCompressionFrom } from "./server/compress-reply.ts";
import { type MetricsAccess, metricsAccessFrom } from "./server/metrics-access.ts";
import { type SubgraphClientTls, subgraphTlsFrom } from "./transport/subgraph-tls-config.ts";

type Env = Record<string, string | undefined>;

export interface SubgraphEndpoint {
  name: string;
  url: string;
}

/** The agencies of a default hub (the roster), where `npm start` runs each. */
export const defaultSubgraphs: SubgraphEndpoint[] = ROSTER.map((agency) => ({
  name: agency.name,
  url: `http://127.0.0.1:${agency.port}/graphql`,
}));

export interface GatewayConfig {
  port: number;
  host: string;
  /**
   * Without a supergraph file: every subgraph, composed at start. With one: URLs that replace
   * the ones the file records (`@join__graph(url:)`), by the file's subgraph names; may be empty.
   */
  subgraphs: SubgraphEndpoint[];
  /** Run from this supergraph file instead of composing the running subgraphs at start. */
  supergraphFile: string | undefined;
  /** How subgraphs are reached over HTTPS: the CA trusted, the client certificate presented. */
  subgraphTls: SubgraphClientTls | undefined;
  /** How long a subgraph may take to answer a health check or an SDL fetch. */
  subgraphTimeoutMs: number;
  /** How long one subgraph fetch within a client request may take. */
  subgraphRequestTimeoutMs: number;
  /** Depth, aliases, cost and tokens one operation may use. */
  limits: QueryLimits & { maxTokens: number };
  /** The largest request body accepted, in bytes. */
  maxBodyBytes: number;
  /** `MASH_HTTP_COMPRESSION`: the APIs' longer answers gzipped for clients that take it. */
  compression: ReplyCompression;
  /** Origins allowed to call the gateway from a browser (CORS); empty allows same-origin only. */
  corsOrigins: string[];
  /** The sharing rules: roles.yaml and one file per agency. */
  policiesDir: string;
  /** Requests per user: a token bucket, in Redis when configured so gateways share it. */
  rateLimit: RateLimitConfig;
  /**
   * Refusals to clients that are not signed in, per address (shares rateLimit's Redis): past
   * it they get 429; either way they are recorded only as per-minute aggregates.
   */
  anonymousRateLimit: Pick<RateLimitConfig, "perMinute" | "burst">;
  /** Governance API requests per officer, in a bucket of their own. */
  governanceRateLimit: Pick<RateLimitConfig, "perMinute" | "burst">;
  /**
   * `MASH_CONTEXT_SIGNING_KEY`: the private JWK subgraph contexts are signed with; without it, the
   * development pair in the data directory. A secret: never logged.
   */
  contextSigningKey: string | undefined;
  /** The access log every answered request is recorded in. */
  audit: AuditConfig;
  /** Who may read /metrics: the operator, on an address of their own or with a credential. */
  metrics: MetricsAccess;
  /** Where published policy versions are kept, and how often a SQLite store is checked. */
  governance: {
    /** `MASH_POLICY_DATABASE_URL` / `MASH_POLICY_FILE`; else `policies.sqlite` in the data dir. */
    store: StoreConfig | undefined;
    pollMs: number | undefined;
    /** MASH_IMPACT_MIN_COUNT: smaller counts are shown only as "fewer than" it. */
    impactMinCount: number;
  };
}

/**
 * `MASH_SUBGRAPH_URLS="mash=http://host:4001/graphql,police=..."` lists every subgraph; without it
 * the defaults above are used. Names are as a supergraph spells them in `@join__graph(name:)`,
 * which for a graph composed elsewhere may hold upper case, digits and underscores.
 */
export function parseSubgraphUrls(raw: string): SubgraphEndpoint[] {
  const seen = new Set<string>();
  return raw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const eq = entry.indexOf("=");
      const name = eq > 0 ? entry.slice(0, eq).trim() : "";
      const url = entry.slice(eq + 1).trim();
      if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) {
        throw new ConfigError(
          "MASH_SUBGRAPH_URLS",
          `"${entry}" is not name=url with a subgraph name (letters, digits, _ and -, not starting with a digit or -)`,
        );
      }
      if (seen.has(name))
        throw new ConfigError("MASH_SUBGRAPH_URLS", `names subgraph "${name}" twice`);
      seen.add(name);
      try {
        const parsed = new URL(url);
        if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new Error();
      } catch {
        throw new ConfigError(
          "MASH_SUBGRAPH_URLS",
          `the URL for "${name}" ("${url}") is not an http(s) URL`,
        );
      }
      return { name, url };
    });
}

export function loadGatewayConfig(env: Env): GatewayConfig {
  const supergraphFile = env.MASH_SUPERGRAPH_FILE || undefined;
  // A supergraph file names its own subgraphs and records their URLs; our seven defaults would
  // only be wrong for a foreign graph (and are what our own file records anyway).
  const subgraphs = env.MASH_SUBGRAPH_URLS
    ? parseSubgraphUrls(env.MASH_SUBGRAPH_URLS)
    : supergraphFile
      ? []
      : defaultSubgraphs;
  if (subgraphs.length === 0 && env.MASH_SUBGRAPH_URLS)
    throw new ConfigError("MASH_SUBGRAPH_URLS", "lists no subgraphs");
  const timeout = Number(env.MASH_SUBGRAPH_TIMEOUT_MS ?? 2000);
  if (!Number.isFinite(timeout) || timeout <= 0) {
    throw new ConfigError(
      "MASH_SUBGRAPH_TIMEOUT_MS",
      `"${env.MASH_SUBGRAPH_TIMEOUT_MS}" is not a positive number`,
    );
  }
  return {
    port: portFrom(env, "PORT", 4000),
    host: env.HOST || "127.0.0.1",
    subgraphs,
    supergraphFile,
    subgraphTimeoutMs: timeout,
    subgraphRequestTimeoutMs: positive(env, "MASH_SUBGRAPH_REQUEST_TIMEOUT_MS", 5000),
    maxBodyBytes: positive(env, "MASH_MAX_BODY_BYTES", 100_000),
    compression: replyCompressionFrom(env),
    limits: {
      maxDepth: positive(env, "MASH_MAX_QUERY_DEPTH", defaultQueryLimits.maxDepth),
      maxAliases: positive(env, "MASH_MAX_ALIASES", defaultQueryLimits.maxAliases),
      maxCost: positive(env, "MASH_MAX_QUERY_COST", defaultQueryLimits.maxCost),
      defaultListSize: defaultQueryLimits.defaultListSize,
      maxTokens: positive(env, "MASH_MAX_QUERY_TOKENS", 5000),
    },
    corsOrigins: parseOrigins(env.MASH_CORS_ORIGINS),
    policiesDir: env.MASH_POLICIES_DIR || defaultPoliciesDir,
    subgraphTls: subgraphTlsFrom(env),
    rateLimit: {
      perMinute: wholeNumber(env, "MASH_RATE_LIMIT_PER_MINUTE", defaultRateLimit.perMinute),
      burst: wholeNumber(env, "MASH_RATE_LIMIT_BURST", defaultRateLimit.burst),
      redisUrl: redisUrl(env.MASH_REDIS_URL),
    },
    anonymousRateLimit: {
      perMinute: wholeNumber(env, "MASH_ANONYMOUS_RATE_LIMIT_PER_MINUTE", 60),
      burst: wholeNumber(env, "MASH_ANONYMOUS_RATE_LIMIT_BURST", 30),
    },
    governanceRateLimit: {
      perMinute: wholeNumber(env, "MASH_GOVERNANCE_RATE_LIMIT_PER_MINUTE", 120),
      burst: wholeNumber(env, "MASH_GOVERNANCE_RATE_LIMIT_BURST", 40),
    },
    contextSigningKey: env.MASH_CONTEXT_SIGNING_KEY || undefined,
    audit: auditConfigFrom(env),
    metrics: metricsAccessFrom(env),
    governance: {
      store: policyStoreConfig(env),
      pollMs: policyPollMs(env),
      impactMinCount: impactMinCount(env),
    },
  };
}

/**
 * All loadGatewayConfig reads but the subgraph URLs, parsed by it: for `npm start`'s preflight,
 * which runs before the subgraphs listen. Under `npm start` the launcher hands the gateway their
 * URLs once they do (main.ts), in place of whatever MASH_SUBGRAPH_URLS says.
 */
export function loadGatewayConfigExceptSubgraphs(env: Env): Omit<GatewayConfig, "subgraphs"> {
  const { subgraphs: _givenLater, ...config } = loadGatewayConfig({
    ...env,
    MASH_SUBGRAPH_URLS: undefined,
  });
  return config;
}

export { type AuditConfig, auditStore } from "./audit/audit-config.ts";
