import { Agent, fetch as undiciFetch } from "undici";
import type { SubgraphClientTls } from "./subgraph-tls-config.ts";

/** A request to a subgraph. The body is a string: the bytes a context is signed over. */
export interface SubgraphRequest {
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

/** A subgraph's answer to a plan fetch, read whole: the status, its content type, the text. */
export interface SubgraphAnswer {
  status: number;
  contentType: string | undefined;
  cacheControl: string | undefined;
  text: string;
}

/**
 * How every request the gateway makes to a subgraph travels (plan fetches, the schema fetch,
 * purpose lookups, subject counts, health checks): one connection pool, trusting the configured
 * CA and presenting the configured client certificate.
 */
export interface SubgraphTransport {
  fetch(url: string, init?: SubgraphRequest): Promise<Response>;
  /**
   * A plan fetch: one POST of a JSON body, answered in full within `timeoutMs`. The same pool,
   * TLS and errors as fetch(), on undici's request API: WHATWG fetch's streams, abort signals and
   * header objects cost more than the rest of a fetch on a big query (see the README's figures).
   */
  post(
    url: string,
    headers: Record<string, string>,
    body: string,
    timeoutMs: number,
  ): Promise<SubgraphAnswer>;
  /** Whether TLS settings are given: then a plain http:// subgraph URL is refused, not used. */
  readonly tls: boolean;
  close(): Promise<void>;
}

export class PlainSubgraphUrl extends Error {
  constructor(url: string) {
    super(
      `${new URL(url).origin} is plain HTTP, but MASH_SUBGRAPH_CA_FILE or a client certificate is set: subgraphs are reached over HTTPS only.`,
    );
    this.name = "PlainSubgraphUrl";
  }
}

/**
 * A request that reached no answer: the message names the refusal or the certificate problem
 * (fetch's own says only "fetch failed"). A time-out keeps its name, TimeoutError.
 */
export class SubgraphUnreachable extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = (cause as Error).name === "TimeoutError" ? "TimeoutError" : "SubgraphUnreachable";
  }
}

export function createSubgraphTransport(tls?: SubgraphClientTls): SubgraphTransport {
  const dispatcher = new Agent({
    connect: {
      ...(tls?.ca ? { ca: tls.ca } : {}),
      ...(tls?.cert && tls.key ? { cert: tls.cert, key: tls.key } : {}),
      minVersion: "TLSv1.2",
    },
  });
  const secured = tls !== undefined;
  const presentsCertificate = Boolean(tls?.cert);
  const unreachable = (url: string, error: unknown) => {
    let problem = transportProblem(error);
    // TLS 1.3 servers check the client's certificate after the handshake and just hang up.
    if (
      url.startsWith("https:") &&
      !presentsCertificate &&
      /UND_ERR_SOCKET|ECONNRESET/.test(problem)
    )
      problem += ` (a subgraph that requires a client certificate closes the connection: MASH_SUBGRAPH_CLIENT_CERT_FILE and _KEY_FILE)`;
    return new SubgraphUnreachable(problem, error);
  };
  // Settings for TLS say the operator means it: a URL left on http:// must not leak records.
  const refusePlain = (url: string) => {
    if (secured && !url.startsWith("https:")) throw new PlainSubgraphUrl(url);
  };
  // Origin and path of each subgraph URL, split once: a plan fetch goes to a handful of URLs.
  const targets = new Map<string, { origin: string; path: string }>();
  const targetOf = (url: string) => {
    let target = targets.get(url);
    if (!target) {
      const parsed = new URL(url);
      target = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
      if (targets.size < 256) targets.set(url, target);
    }
    return target;
  };
  return {
    tls: secured,
    async fetch(url, init = {}) {
      refusePlain(url);
      try {
        const response = await undiciFetch(url, { ...init, dispatcher });
        // undici's Response is the one Node's global fetch returns; its types are a copy of them.
        return response as unknown as Response;
      } catch (error) {
        throw unreachable(url, error);
      }
    },
    async post(url, headers, body, timeoutMs) {
      refusePlain(url);
      const { origin, path } = targetOf(url);
      // One timer for the whole exchange, headers and body: the deadline fetch() had.
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(new DeadlinePassed()), timeoutMs);
      try {
        const response = await dispatcher.request({
          origin,
          path,
          method: "POST",
          headers,
          body,
          signal: controller.signal,
        });
        const text = await response.body.text();
        return {
          status: response.statusCode,
          contentType: headerOf(response.headers["content-type"]),
          cacheControl: headerOf(response.headers["cache-control"]),
          text,
        };
      } catch (error) {
        throw unreachable(url, controller.signal.aborted ? new DeadlinePassed() : error);
      } finally {
        clearTimeout(timer);
      }
    },
    close: () => dispatcher.close(),
  };
}

/** A plan fetch that outlived its deadline: named as fetch's own time-out is (TimeoutError). */
class DeadlinePassed extends Error {
  constructor() {
    super("no answer in time");
    this.name = "TimeoutError";
  }
}

const headerOf = (value: string | string[] | undefined) =>
  Array.isArray(value) ? value.join(", ") : value;

/**
 * Why a subgraph request failed, for a log line or a start-up error: fetch's own message says
 * only "fetch failed"; its cause names the refused connection or the certificate problem.
 */
export function transportProblem(error: unknown): string {
  if (error instanceof SubgraphUnreachable || error instanceof PlainSubgraphUrl)
    return error.message;
  const e = error as Error & { cause?: Error & { code?: string } };
  if (e.name === "TimeoutError") return "no answer in time";
  const cause = e.cause;
  const code = cause?.code ?? (error as { code?: string }).code;
  const detail = cause?.message ?? e.message;
  const hint = code ? tlsHint(code) : "";
  return `${code ? `${code}: ` : ""}${detail}${hint}`;
}

function tlsHint(code: string): string {
  // The client's certificate refused (or missing) first: those codes name CERTIFICATE too.
  if (/CERTIFICATE_REQUIRED|ALERT_BAD_CERTIFICATE|ALERT_UNKNOWN_CA|HANDSHAKE_FAILURE/.test(code))
    return " (the subgraph requires a client certificate its CA issued: MASH_SUBGRAPH_CLIENT_CERT_FILE and _KEY_FILE)";
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code))
    return " (the subgraph's certificate is not issued by MASH_SUBGRAPH_CA_FILE's CA, or not for its host)";
  return "";
}
