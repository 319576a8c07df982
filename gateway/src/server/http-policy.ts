import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "@mash/kit";
import { sendJson } from "@mash/kit/http";
import type { GraphQLFormattedError } from "graphql";

const ALLOWED_HEADERS =
  "authorization, content-type, x-mash-enquiry, x-mash-break-glass, apollo-require-preflight";

/** Headers every gateway response carries; the console's handler adds its own CSP and caching. */
export function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader("x-content-type-options", "nosniff");
  res.setHeader("referrer-policy", "no-referrer");
  res.setHeader("x-frame-options", "DENY");
  res.setHeader("cache-control", "no-store");
  res.setHeader("permissions-policy", "camera=(), microphone=(), geolocation=()");
}

/**
 * CORS with an allowlist: a browser app on a listed origin may call the graph; any other origin's
 * preflight is refused, so a page elsewhere cannot use a practitioner's session. Same-origin
 * requests (the console) need no CORS at all. Returns true when it answered the request.
 */
export function handleCors(
  req: IncomingMessage,
  res: ServerResponse,
  allowed: readonly string[],
): boolean {
  const origin = req.headers.origin;
  if (!origin) return false;
  const ok = allowed.includes(origin);
  if (ok) {
    res.setHeader("access-control-allow-origin", origin);
    res.setHeader("vary", "Origin");
    // Retry-After is not CORS-safelisted: without this a browser app could not read it on a 429.
    res.setHeader("access-control-expose-headers", "x-request-id, retry-after");
  }
  if (req.method !== "OPTIONS") return false;
  if (!ok) {
    sendJson(res, 403, {
      errors: [
        {
          message: `Origin ${origin} may not call this gateway (MASH_CORS_ORIGINS).`,
          extensions: { code: "FORBIDDEN_ORIGIN" },
        },
      ],
    });
    return true;
  }
  res.writeHead(204, {
    "access-control-allow-methods": "GET, POST",
    "access-control-allow-headers": ALLOWED_HEADERS,
    "access-control-max-age": "600",
  });
  res.end();
  return true;
}

/** Codes whose messages were written for clients; anything else is masked. */
const CLIENT_CODES = new Set([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_USER_INPUT",
  "BAD_REQUEST",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "OPERATION_RESOLUTION_FAILURE",
  "UNAUTHORIZED_FIELD_OR_TYPE",
  "AGENCY_UNAVAILABLE",
  "QUERY_TOO_COMPLEX",
  "AUTHORIZATION_UNAVAILABLE",
  "AUTHORIZATION_PLAN_REFUSED",
  "AUDIT_UNAVAILABLE",
]);

/**
 * Production error masking: an unexpected error's message may hold SQL, internal URLs or stack
 * details, so the client gets a plain sentence (and the X-Request-Id to quote); the log keeps
 * the original. Stack traces are never included.
 */
export function formatError(logger: Logger) {
  return (formatted: GraphQLFormattedError): GraphQLFormattedError => {
    const code = String(formatted.extensions?.code ?? "INTERNAL_SERVER_ERROR");
    if (CLIENT_CODES.has(code)) {
      const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    logger.error("internal error in a request", { code, error: formatted.message });
    return {
      message:
        "Internal error: the request could not be completed. Quote the X-Request-Id response header to support.",
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: "INTERNAL_SERVER_ERROR" },
    };
  };
}
