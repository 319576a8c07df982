import { Agent, fetch as undiciFetch } from "undici";
import type { SubgraphClientTls } from "./subgraph-tls-config.ts";

/** A request to a subgraph. The body is a string: the bytes a context is signed over. */
export interface SubgraphRequest {
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

/**
 * How every request the gateway makes to a subgraph travels (plan fetches, the schema fetch,
 * purpose lookups, subject counts, health checks): one connection pool, trusting the configured
 * CA and presenting the configured client certificate.
 */
export interface SubgraphTransport {
  fetch(url: string, init?: SubgraphRequest): Promise<Response>;
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
  return {
    tls: secured,
    async fetch(url, init = {}) {
      // Settings for TLS say the operator means it: a URL left on http:// must not leak records.
      if (secured && !url.startsWith("https:")) throw new PlainSubgraphUrl(url);
      try {
        const response = await undiciFetch(url, { ...init, dispatcher });
        // undici's Response is the one Node's global fetch returns; its types are a copy of them.
        return response as unknown as Response;
      } catch (error) {
        let problem = transportProblem(error);
        // TLS 1.3 servers check the client's certificate after the handshake and just hang up.
        if (
          url.startsWith("https:") &&
          !presentsCertificate &&
          /UND_ERR_SOCKET|ECONNRESET/.test(problem)
        )
          problem += ` (a subgraph that requires a client certificate closes the connection: MASH_SUBGRAPH_CLIENT_CERT_FILE and _KEY_FILE)`;
        throw new SubgraphUnreachable(problem, error);
      }
    },
    close: () => dispatcher.close(),
  };
}

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
