import { readFile, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { contentHash } from "../console/content-hash.ts";

/**
 * Stricter than the consoles' (no inline styles: the workspace has no GraphiQL to allow for).
 * Scripts, styles and requests go to this origin only: the page talks to /graphql and nothing
 * else, and to the identity provider's origin when sign-in is OIDC (its token endpoint).
 */
export function workspaceContentSecurityPolicy(identityProviderOrigin?: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    identityProviderOrigin ? `connect-src 'self' ${identityProviderOrigin}` : "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export const WORKSPACE_CONTENT_SECURITY_POLICY = workspaceContentSecurityPolicy();

const DEFAULT_DIST_DIR = fileURLToPath(new URL("../../dist/workspace/", import.meta.url));

const TYPES: Readonly<Record<string, string>> = {
  "index.html": "text/html; charset=utf-8",
  "workspace.js": "text/javascript; charset=utf-8",
  "workspace.css": "text/css; charset=utf-8",
};

const NOT_BUILT =
  "The MASH workspace has not been built. Run `npm run build` at the repository root " +
  "(or `npm run build -w gateway`), then reload this page.\n";

export type WorkspaceHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

function sendText(req: IncomingMessage, res: ServerResponse, status: number, text: string) {
  res.writeHead(status, {
    "content-type": "text/plain; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  });
  res.end(req.method === "HEAD" ? undefined : text);
}

/**
 * Serves /workspace (the page) and /workspace/workspace.{js,css} from the build; any other path
 * under /workspace/ is a 404 here, and anything outside it is not the workspace's to answer.
 */
export function createWorkspaceHandler(
  options: { distDir?: string; identityProviderOrigin?: string } = {},
): WorkspaceHandler {
  const distDir = resolve(options.distDir ?? DEFAULT_DIST_DIR);
  const policy = workspaceContentSecurityPolicy(options.identityProviderOrigin);
  const cache = new Map<string, { mtimeMs: number; size: number; body: Buffer; hash: string }>();

  // Re-stat on every request, so a rebuild while the gateway runs is served without a restart.
  async function load(name: string) {
    const info = await stat(join(distDir, name)).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    const cached = cache.get(name);
    if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size) return cached;
    const body = await readFile(join(distDir, name));
    const file = { mtimeMs: info.mtimeMs, size: info.size, body, hash: contentHash(body) };
    cache.set(name, file);
    return file;
  }

  async function serve(req: IncomingMessage, res: ServerResponse, name: string, query: string) {
    const file = await load(name);
    if (!file) {
      sendText(
        req,
        res,
        name === "index.html" ? 503 : 404,
        name === "index.html" ? NOT_BUILT : "Not found\n",
      );
      return;
    }
    const etag = `"${file.hash}"`;
    const versioned = new URLSearchParams(query).get("v") === file.hash;
    const headers: Record<string, string | number> = {
      "content-type": TYPES[name] ?? "application/octet-stream",
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
      etag,
      "cache-control": versioned ? "public, max-age=31536000, immutable" : "no-cache",
    };
    if (extname(name) === ".html") headers["content-security-policy"] = policy;
    if (req.headers["if-none-match"] === etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    headers["content-length"] = file.body.length;
    res.writeHead(200, headers);
    res.end(req.method === "HEAD" ? undefined : file.body);
  }

  return (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    const url = req.url ?? "/";
    const queryStart = url.indexOf("?");
    const pathname = queryStart === -1 ? url : url.slice(0, queryStart);
    const query = queryStart === -1 ? "" : url.slice(queryStart + 1);
    let name: string;
    if (pathname === "/workspace" || pathname === "/workspace/") name = "index.html";
    else if (pathname.startsWith("/workspace/")) {
      const asset = pathname.slice("/workspace/".length);
      // Only the two built assets by name: nothing else in (or outside) distDir is reachable.
      name = asset === "workspace.js" || asset === "workspace.css" ? asset : "";
    } else return false;
    if (name === "") {
      sendText(req, res, 404, "Not found\n");
      return true;
    }
    serve(req, res, name, query).catch((error: unknown) => {
      console.error("workspace: failed to serve", name, error);
      if (res.headersSent) res.destroy();
      else sendText(req, res, 500, "Internal error while serving the workspace\n");
    });
    return true;
  };
}
