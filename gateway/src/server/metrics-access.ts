import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { ConfigError } from "@mash/kit/errors";
import { sendJson } from "@mash/kit/http/respond";

type Env = Record<string, string | undefined>;

/**
 * Who may read /metrics. Counts of requests and withholdings are operational facts about every
 * user's requests, so they are for the operator only: on an address only the operator reaches
 * (`MASH_METRICS_ADDRESS`, a listener of its own), or on the gateway's port with the operator's
 * bearer credential (`MASH_METRICS_TOKEN`). With neither, the gateway serves no metrics at all.
 */
export interface MetricsAccess {
  /** The operator's credential on the public port; undefined: metrics are not served there. */
  token: string | undefined;
  /** The operator's own listener, which needs no credential; undefined: none. */
  address: { host: string; port: number } | undefined;
}

const MIN_TOKEN = 32;

export function metricsAccessFrom(env: Env): MetricsAccess {
  const token = env.MASH_METRICS_TOKEN || undefined;
  if (token !== undefined && token.length < MIN_TOKEN) {
    throw new ConfigError(
      "MASH_METRICS_TOKEN",
      `has ${token.length} characters; an operator credential has at least ${MIN_TOKEN} (for example \`openssl rand -hex 32\`)`,
    );
  }
  return { token, address: addressFrom(env.MASH_METRICS_ADDRESS) };
}

function addressFrom(raw: string | undefined): MetricsAccess["address"] {
  if (!raw) return undefined;
  const match = /^(?<host>[^:\s]+):(?<port>\d{1,5})$/.exec(raw.trim());
  const port = Number(match?.groups?.port);
  if (!match?.groups?.host || !Number.isInteger(port) || port > 65535) {
    throw new ConfigError(
      "MASH_METRICS_ADDRESS",
      `"${raw}" is not host:port (for example 127.0.0.1:9464)`,
    );
  }
  return { host: match.groups.host, port };
}

/** Whether a request to /metrics on the public port carries the operator's credential. */
export function carriesOperatorToken(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? "";
  const given = Buffer.from(header.startsWith("Bearer ") ? header.slice(7) : "");
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The answer on the public port when metrics are not for this caller. */
export function refuseMetrics(res: ServerResponse, access: MetricsAccess): void {
  if (access.token === undefined) {
    sendJson(res, 404, {
      error:
        "Metrics are served to the operator only: on MASH_METRICS_ADDRESS, or here with the MASH_METRICS_TOKEN credential.",
    });
    return;
  }
  res.setHeader("www-authenticate", 'Bearer realm="metrics"');
  sendJson(res, 401, { error: "/metrics needs the operator's bearer credential." });
}
