import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildWorkspace } from "@mash/web/workspace-build";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createWorkspaceHandler,
  WORKSPACE_CONTENT_SECURITY_POLICY,
  workspaceContentSecurityPolicy,
} from "./workspace-serve.ts";

/** The handler alone on a free port; anything it declines answers 418, to tell the two apart. */
function serveFrom(distDir: string): Promise<{ server: Server; url: string }> {
  const handle = createWorkspaceHandler({ distDir });
  const server = createServer((req, res) => {
    if (!handle(req, res)) res.writeHead(418).end();
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

describe("the workspace's static handler", () => {
  const temp = mkdtempSync(join(tmpdir(), "mash-workspace-"));
  let built: { server: Server; url: string };
  let empty: { server: Server; url: string };

  beforeAll(async () => {
    await buildWorkspace({ outDir: join(temp, "built") });
    built = await serveFrom(join(temp, "built"));
    empty = await serveFrom(join(temp, "missing"));
  });
  afterAll(() => {
    built?.server.close();
    empty?.server.close();
    rmSync(temp, { recursive: true, force: true });
  });

  it("serves the page at /workspace under a strict CSP, its assets versioned", async () => {
    for (const path of ["/workspace", "/workspace/"]) {
      const page = await fetch(`${built.url}${path}`);
      expect(page.status).toBe(200);
      expect(page.headers.get("content-security-policy")).toBe(WORKSPACE_CONTENT_SECURITY_POLICY);
      const html = await page.text();
      const script = /src="(\/workspace\/workspace\.js\?v=[0-9a-f]+)"/.exec(html)?.[1];
      expect(script).toBeDefined();
      const asset = await fetch(`${built.url}${script}`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get("content-type")).toMatch(/^text\/javascript/);
      expect(asset.headers.get("cache-control")).toContain("immutable");
    }
    // No inline style is allowed: the workspace needs none.
    expect(WORKSPACE_CONTENT_SECURITY_POLICY).not.toContain("unsafe-inline");
    expect(WORKSPACE_CONTENT_SECURITY_POLICY).toContain("connect-src 'self';");
    // With OIDC sign-in, the provider's token endpoint too, and nothing else.
    expect(workspaceContentSecurityPolicy("https://idp.example")).toContain(
      "connect-src 'self' https://idp.example;",
    );
  });

  it("names nothing but its own assets, and leaves other paths to the gateway", async () => {
    for (const path of [
      "/workspace/index.html",
      "/workspace/%2e%2e%2fpackage.json",
      "/workspace/x.js",
    ]) {
      expect((await fetch(`${built.url}${path}`)).status, path).toBe(404);
    }
    expect((await fetch(`${built.url}/graphql`)).status).toBe(418);
    expect((await fetch(`${built.url}/workspaces`)).status).toBe(418);
    expect((await fetch(`${built.url}/workspace`, { method: "POST" })).status).toBe(418);
  });

  it("says how to build it when it has not been built", async () => {
    const page = await fetch(`${empty.url}/workspace`);
    expect(page.status).toBe(503);
    await expect(page.text()).resolves.toMatch(/npm run build/);
  });
});
