import { readFile, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { contentHash } from "@mash/web/content-hash";
import { DIST_DIRS } from "@mash/web/dist-dirs";

const gzipAsync = promisify(gzip);

export interface ConsoleHandlerOptions {
  /** Where build.ts wrote the bundle; defaults to gateway/web/dist/console. */
  distDir?: string;
  /** Where build.ts wrote the governance console; defaults to gateway/web/dist/governance. */
  governanceDistDir?: string;
  /**
   * The identity provider's origin when the apps sign in through it (MASH_AUTH_CLIENT_ID): the
   * one other origin their pages may call, for discovery, token and revocation requests.
   */
  identityProviderOrigin?: string;
}

export type ConsoleHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

const DEFAULT_DIST_DIR = DIST_DIRS.console;
const DEFAULT_GOVERNANCE_DIST_DIR = DIST_DIRS.governance;

/** The governance API lives under the same prefix as its console; never answer for it here. */
export const GOVERNANCE_API_PATH = "/governance/graphql";

/**
 * Only what GraphiQL needs: inline styles (CodeMirror, Radix) and data: fonts and images. The
 * governance console gets the same policy: it needs less, but one policy is one thing to review.
 */
export function contentSecurityPolicy(identityProviderOrigin?: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    // Sign-in renews with fetch() to the provider's token endpoint, so no frame-src is needed.
    identityProviderOrigin ? `connect-src 'self' ${identityProviderOrigin}` : "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();

const SECURITY_HEADERS = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
} as const;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
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

// One path segment of plain characters: no slashes, no leading dot, no percent-escapes, so
// neither `..` nor an encoded form of it can name anything outside distDir.
const ASSET_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/;

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

/**
 * The q-value a request header (Accept, Accept-Encoding) gives to any of `exact`, falling back to
 * each wildcard in turn: an exact type outranks its wildcard, whatever their order in the header.
 */
function quality(header: string, exact: readonly string[], wildcards: readonly string[]): number {
  const weights = new Map<string, number>();
  for (const range of header.toLowerCase().split(",")) {
    const [token = "", ...params] = range.split(";").map((part) => part.trim());
    const qParam = params.find((param) => param.startsWith("q="));
    const q = qParam ? Number(qParam.slice(2)) || 0 : 1;
    weights.set(token, Math.max(weights.get(token) ?? 0, q));
  }
  for (const group of [exact, ...wildcards.map((wildcard) => [wildcard])]) {
    const found = group.flatMap((token) => weights.get(token) ?? []);
    if (found.length > 0) return Math.max(...found);
  }
  return 0;
}

/** Browsers navigating to /graphql get the console; GraphQL clients and bare curl do not. */
export function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  const html = quality(accept, ["text/html"], ["text/*", "*/*"]);
  const json = quality(
    accept,
    ["application/json", "application/graphql-response+json"],
    ["application/*", "*/*"],
  );
  return html > 0 && html > json;
}

function acceptsGzip(req: IncomingMessage): boolean {
  const header = req.headers["accept-encoding"];
  return typeof header === "string" && quality(header, ["gzip"], ["*"]) > 0;
}

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

/**
 * The asset a path under `prefix` names, "" when it names none (a 404), or undefined when the
 * path is not under the prefix at all.
 */
function assetUnder(prefix: string, pathname: string): string | undefined {
  if (!pathname.startsWith(prefix)) return undefined;
  const name = pathname.slice(prefix.length);
  const type = CONTENT_TYPES[extname(name)];
  // index.html only through the page's own URL, so there is one URL (and one cache entry) for it.
  return ASSET_NAME.test(name) && type && name !== "index.html" ? name : "";
}

export function createConsoleHandler(options: ConsoleHandlerOptions = {}): ConsoleHandler {
  const policy = contentSecurityPolicy(options.identityProviderOrigin);
  const consoleApp = staticApp(
    resolve(options.distDir ?? DEFAULT_DIST_DIR),
    "MASH Gateway console",
    policy,
  );
  const governanceApp = staticApp(
    resolve(options.governanceDistDir ?? DEFAULT_GOVERNANCE_DIST_DIR),
    "MASH governance console",
    policy,
  );

  return (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    const url = req.url ?? "/";
    const queryStart = url.indexOf("?");
    const pathname = queryStart === -1 ? url : url.slice(0, queryStart);
    const query = queryStart === -1 ? "" : url.slice(queryStart + 1);

    let app: ServeAsset;
    let name: string;
    if (pathname === "/graphql") {
      if (!prefersHtml(req.headers.accept)) return false;
      app = consoleApp;
      name = "index.html";
    } else if (pathname === "/governance" || pathname === "/governance/") {
      app = governanceApp;
      name = "index.html";
    } else if (pathname === GOVERNANCE_API_PATH) {
      return false;
    } else {
      const consoleAsset = assetUnder("/console/", pathname);
      const governanceAsset =
        consoleAsset === undefined ? assetUnder("/governance/", pathname) : undefined;
      // Anything under /governance/ that is not an asset is the governance API's to answer
      // (or 404): that prefix is shared with it.
      if (consoleAsset === undefined && !governanceAsset) return false;
      const asset = consoleAsset ?? governanceAsset ?? "";
      if (asset === "") {
        sendText(req, res, 404, "Not found\n");
        return true;
      }
      app = consoleAsset === undefined ? governanceApp : consoleApp;
      name = asset;
    }

    app(req, res, name, query).catch((error: unknown) => {
      console.error("console: failed to serve", name, error);
      if (res.headersSent) res.destroy();
      else sendText(req, res, 500, "Internal error while serving the console\n");
    });
    return true;
  };
}
