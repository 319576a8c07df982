import type { Server as HttpServer, IncomingMessage, ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { ConfigError } from "../errors.ts";
import { readCertificateAndKey, readCertificateFile } from "./tls-files.ts";

type Env = Record<string, string | undefined>;

/** A subgraph served over HTTPS, and the CA whose client certificates it requires, if any. */
export interface SubgraphTls {
  cert: string;
  key: string;
  /** With it, a client (the gateway) must present a certificate this CA issued (mutual TLS). */
  clientCa?: string;
}

/**
 * `MASH_TLS_CERT_FILE` and `MASH_TLS_KEY_FILE` (PEM): the subgraph serves HTTPS. With
 * `MASH_TLS_CLIENT_CA_FILE` too, it requires a client certificate that CA issued.
 */
export function subgraphTlsFrom(env: Env): SubgraphTls | undefined {
  const pair = readCertificateAndKey(env, "MASH_TLS_CERT_FILE", "MASH_TLS_KEY_FILE");
  const clientCa = readCertificateFile(env, "MASH_TLS_CLIENT_CA_FILE");
  if (!pair) {
    if (clientCa)
      throw new ConfigError(
        "MASH_TLS_CLIENT_CA_FILE",
        "requires MASH_TLS_CERT_FILE and MASH_TLS_KEY_FILE: client certificates are asked for over HTTPS only",
      );
    return undefined;
  }
  return { cert: pair.cert, key: pair.key, ...(clientCa ? { clientCa: clientCa.pem } : {}) };
}

/**
 * HTTPS, and with a client CA, mutual TLS: a client without a certificate that CA issued is
 * turned away in the handshake, before any request is read.
 */
export function httpsServer(
  tls: SubgraphTls,
  route: (req: IncomingMessage, res: ServerResponse) => void,
): HttpServer {
  const server = createHttpsServer(
    {
      cert: tls.cert,
      key: tls.key,
      minVersion: "TLSv1.2",
      ...(tls.clientCa ? { ca: tls.clientCa, requestCert: true, rejectUnauthorized: true } : {}),
    },
    route,
  );
  // An https.Server is an http.Server over TLS: listen() and close() use only what both have.
  return server as unknown as HttpServer;
}
