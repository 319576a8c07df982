import { readCertificateAndKey, readCertificateFile } from "@mash/kit/trust/tls-files";

type Env = Record<string, string | undefined>;

/** How the gateway reaches subgraphs over HTTPS: whom it trusts, and what it presents. */
export interface SubgraphClientTls {
  /** PEM: the only CA(s) a subgraph's certificate may be issued by (replaces the system's). */
  ca?: string;
  /** PEM: the certificate and key the gateway presents to subgraphs requiring one (mutual TLS). */
  cert?: string;
  key?: string;
}

/**
 * `MASH_SUBGRAPH_CA_FILE`; `MASH_SUBGRAPH_CLIENT_CERT_FILE` with `MASH_SUBGRAPH_CLIENT_KEY_FILE`.
 * Undefined when none is set: subgraphs are then reached as their URLs say, https:// ones checked
 * against the system's CAs.
 */
export function subgraphTlsFrom(env: Env): SubgraphClientTls | undefined {
  const ca = readCertificateFile(env, "MASH_SUBGRAPH_CA_FILE");
  const client = readCertificateAndKey(
    env,
    "MASH_SUBGRAPH_CLIENT_CERT_FILE",
    "MASH_SUBGRAPH_CLIENT_KEY_FILE",
  );
  if (!ca && !client) return undefined;
  return {
    ...(ca ? { ca: ca.pem } : {}),
    ...(client ? { cert: client.cert, key: client.key } : {}),
  };
}
