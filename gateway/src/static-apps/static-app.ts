import { readFile, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join } from "node:path";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { contentHash } from "@mash/web/content-hash";
import { acceptsGzip } from "./prefers-html.ts";

const gzipAsync = promisify(gzip);

const SECURITY_HEADERS = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
} as const;
/** The content type of each file extension an app may serve; no other is served. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
};
const COMPRESSIBLE = new Set([".html", ".js", ".css", ".map", ".svg"]);
const notBuilt = (title: string) =>
  `The ${title} has not been built. Run \`npm run build\` at the repository root ` +
  "(or `npm run build -w gateway/web`), then reload this page.\n";

interface CachedFile {
  mtimeMs: number;
  size: number;
  body: Buffer;
  hash: string;
  gzipped?: Buffer;
}
/** A plain-text answer (a 404, a 503 before the build) with the apps' security headers. */
export function sendText(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  text: string,
): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    "content-type": "text/plain; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
  });
  res.end(req.method === "HEAD" ? undefined : text);
}

export type ServeAsset = (
  req: IncomingMessage,
  res: ServerResponse,
  name: string,
  query: string,
) => Promise<void>;

/**
 * Serves the files of one built app from its dist directory (the consoles and the workspace):
 * re-read when rebuilt, gzipped when the browser takes it, versioned URLs cached for good.
 */
export function staticApp(distDir: string, title: string, policy: string): ServeAsset {
  const cache = new Map<string, CachedFile>();

  // Re-stat on every request so a rebuild while the gateway runs is picked up without a restart.
  async function load(name: string): Promise<CachedFile | undefined> {
    const path = join(distDir, name);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    const cached = cache.get(name);
    if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size) return cached;
    const body = await readFile(path);
    const file: CachedFile = {
      mtimeMs: info.mtimeMs,
      size: info.size,
      body,
      hash: contentHash(body),
    };
    if (COMPRESSIBLE.has(extname(name))) file.gzipped = await gzipAsync(body);
    cache.set(name, file);
    return file;
  }

  return async (req, res, name, query) => {
    const file = await load(name);
    if (!file) {
      const built = name !== "index.html" && (await load("index.html")) !== undefined;
      sendText(req, res, built ? 404 : 503, built ? "Not found\n" : notBuilt(title));
      return;
    }
    const isHtml = name === "index.html";
    const gzipped = file.gzipped && acceptsGzip(req) ? file.gzipped : undefined;
    const etag = `"${file.hash}${gzipped ? "-gz" : ""}"`;
    const versioned = new URLSearchParams(query).get("v") === file.hash;
    const headers: Record<string, string | number> = {
      ...SECURITY_HEADERS,
      "content-type": CONTENT_TYPES[extname(name)] ?? "application/octet-stream",
      etag,
      "cache-control": versioned ? "public, max-age=31536000, immutable" : "no-cache",
      vary: isHtml ? "Accept, Accept-Encoding" : "Accept-Encoding",
    };
    if (isHtml) headers["content-security-policy"] = policy;
    if (req.headers["if-none-match"] === etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    const body = gzipped ?? file.body;
    if (gzipped) headers["content-encoding"] = "gzip";
    headers["content-length"] = body.length;
    res.writeHead(200, headers);
    res.end(req.method === "HEAD" ? undefined : body);
  };
}

/** A GET or HEAD's path and query, apart; undefined for any other method (not ours to answer). */
export function readOnlyRequest(
  req: IncomingMessage,
): { pathname: string; query: string } | undefined {
  if (req.method !== "GET" && req.method !== "HEAD") return undefined;
  const url = req.url ?? "/";
  const queryStart = url.indexOf("?");
  return {
    pathname: queryStart === -1 ? url : url.slice(0, queryStart),
    query: queryStart === -1 ? "" : url.slice(queryStart + 1),
  };
}
