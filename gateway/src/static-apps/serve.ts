import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, resolve } from "node:path";
import { DIST_DIRS } from "@mash/web/dist-dirs";
import { contentSecurityPolicy } from "./content-security-policy.ts";
import { prefersHtml } from "./prefers-html.ts";
import {
  CONTENT_TYPES,
  readOnlyRequest,
  type ServeAsset,
  sendText,
  staticApp,
} from "./static-app.ts";

// Re-exported: the server's tests read the consoles' policy from here.
export { contentSecurityPolicy };

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
// One path segment of plain characters: no slashes, no leading dot, no percent-escapes, so
// neither `..` nor an encoded form of it can name anything outside distDir.
const ASSET_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/;

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
    const asked = readOnlyRequest(req);
    if (!asked) return false;
    const { pathname, query } = asked;

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
