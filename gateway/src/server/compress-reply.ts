import type { IncomingMessage, ServerResponse } from "node:http";
import { gzip } from "node:zlib";
import { ConfigError } from "@mash/kit/errors";
import { acceptsGzip } from "../static-apps/prefers-html.ts";

/** `MASH_HTTP_COMPRESSION`: gzip the API's longer answers for clients that take it, or never. */
export type ReplyCompression = "gzip" | "off";

export function replyCompressionFrom(env: Record<string, string | undefined>): ReplyCompression {
  const value = env.MASH_HTTP_COMPRESSION?.trim().toLowerCase() || "gzip";
  if (value === "gzip" || value === "off") return value;
  throw new ConfigError(
    "MASH_HTTP_COMPRESSION",
    `"${env.MASH_HTTP_COMPRESSION}" is neither "gzip" (the default) nor "off" (when a proxy in front compresses)`,
  );
}

/**
 * Shorter answers go as they are: a SubjectOverview is some 2 KB, a segment or two on any
 * network, and zlib's fixed cost and the trip to its thread would outweigh what it saves.
 */
export const COMPRESS_FROM_BYTES = 4096;

/**
 * zlib's fastest level. An answer's bulk is its withheld-field errors, the same sentences again
 * and again (a list of fifty people: 180 KB), which even level 1 shrinks some thirty times over;
 * higher levels cost more CPU than they save bytes (issue 14's bench: level 6 made the list
 * slower than sending it whole, level 1 faster: 147 µs of a libuv thread for that 180 KB, to
 * 5.8 KB; zlib's default window and memory, as smaller ones compressed it less and no faster).
 */
const LEVEL = 1;

/**
 * How an answer goes out: its bytes gzipped on libuv's threads (not the event loop) when the
 * client's Accept-Encoding takes gzip and the answer is long enough, else as they are. The text
 * is the same either way, and a withheld value is never part of it, so the compressed size can
 * tell nothing of one; the record was written before the reply got here. No BREACH-style
 * guessing either: that needs a page on another site to send requests with the victim's
 * credentials and text of its choosing, and ours are authenticated by a bearer header such a
 * page cannot attach. Should zlib fail, the answer goes uncompressed: the same content, never
 * an error in its place.
 */
export function sendCompressible(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  headers: Record<string, string | number>,
  body: Buffer | Uint8Array,
  compression: ReplyCompression,
): void {
  const asIs = (sent: Record<string, string | number>) => {
    res.writeHead(status, { ...sent, "content-length": body.length });
    res.end(body);
  };
  if (compression === "off" || body.length < COMPRESS_FROM_BYTES) {
    asIs(headers);
    return;
  }
  // Whether it is compressed depends on the request's Accept-Encoding: caches must know that.
  const varied = { ...headers, vary: withVary(res.getHeader("vary")) };
  if (!acceptsGzip(req)) {
    asIs(varied);
    return;
  }
  gzip(body, { level: LEVEL }, (error, zipped) => {
    if (res.destroyed) return;
    if (error) {
      asIs(varied);
      return;
    }
    res.writeHead(status, {
      ...varied,
      "content-encoding": "gzip",
      "content-length": zipped.length,
    });
    res.end(zipped);
  });
}

/** Vary as set so far (CORS sets Origin), with Accept-Encoding added once. */
function withVary(existing: number | string | string[] | undefined): string {
  const names = (Array.isArray(existing) ? existing.join(",") : String(existing ?? ""))
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  if (!names.some((name) => name.toLowerCase() === "accept-encoding"))
    names.push("Accept-Encoding");
  return names.join(", ");
}
