import type { IncomingMessage, ServerResponse } from "node:http";
import { sendJson } from "@mash/kit/http";

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
