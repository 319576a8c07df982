import type { IncomingMessage, ServerResponse } from "node:http";
import { resolve } from "node:path";
import { DIST_DIRS } from "@mash/web/dist-dirs";
import { readOnlyRequest, sendText, staticApp } from "./static-app.ts";

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

const DEFAULT_DIST_DIR = DIST_DIRS.workspace;

/** Only the two built assets by name: nothing else in (or outside) distDir is reachable. */
const ASSETS = new Set(["workspace.js", "workspace.css"]);

export type WorkspaceHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * Serves /workspace (the page) and /workspace/workspace.{js,css} from the build, as the consoles
 * are served (console/serve.ts staticApp); any other path under /workspace/ is a 404 here, and
 * anything outside it is not the workspace's to answer.
 */
export function createWorkspaceHandler(
  options: { distDir?: string; identityProviderOrigin?: string } = {},
): WorkspaceHandler {
  const app = staticApp(
    resolve(options.distDir ?? DEFAULT_DIST_DIR),
    "MASH workspace",
    workspaceContentSecurityPolicy(options.identityProviderOrigin),
  );

  return (req, res) => {
    const asked = readOnlyRequest(req);
    if (!asked) return false;
    const { pathname, query } = asked;
    let name: string;
    if (pathname === "/workspace" || pathname === "/workspace/") name = "index.html";
    else if (pathname.startsWith("/workspace/")) {
      const asset = pathname.slice("/workspace/".length);
      name = ASSETS.has(asset) ? asset : "";
    } else return false;
    if (name === "") {
      sendText(req, res, 404, "Not found\n");
      return true;
    }
    app(req, res, name, query).catch((error: unknown) => {
      console.error("workspace: failed to serve", name, error);
      if (res.headersSent) res.destroy();
      else sendText(req, res, 500, "Internal error while serving the workspace\n");
    });
    return true;
  };
}
