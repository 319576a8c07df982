import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import {
  type BuiltConsole,
  type BuiltGovernanceConsole,
  buildConsole,
  buildGovernanceConsole,
} from "@mash/web/build";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawRequest } from "../server/raw-request.test-support.ts";
import { prefersHtml } from "./prefers-html.ts";
import { createConsoleHandler } from "./serve.ts";

const BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
const FALLBACK = "handled by the gateway";

/** node:http rather than fetch, which would normalise `..` out of the path before sending it. */
const send = (port: number, path: string, headers: Record<string, string> = {}, method = "GET") =>
  rawRequest({ port, path, headers, method });

async function listen(distDir: string, governanceDistDir = distDir): Promise<Server> {
  const handler = createConsoleHandler({ distDir, governanceDistDir });
  const server = createServer((req, res) => {
    if (!handler(req, res)) res.writeHead(418, { "content-type": "text/plain" }).end(FALLBACK);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return server;
}

const portOf = (server: Server) => (server.address() as AddressInfo).port;

let temp: string;
let built: BuiltConsole;
let governance: BuiltGovernanceConsole;
let server: Server;
let unbuilt: Server;
let port: number;

beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), "mash-console-"));
  [built, governance] = await Promise.all([
    buildConsole({ outDir: join(temp, "console") }),
    buildGovernanceConsole({ outDir: join(temp, "governance") }),
  ]);
  // Bait for traversal: a file right beside the bundle that must never be served.
  await writeFile(join(temp, "secret.txt"), "do not serve");
  await mkdir(join(temp, "empty"));
  server = await listen(built.outDir, governance.outDir);
  unbuilt = await listen(join(temp, "empty"));
  port = portOf(server);
});

afterAll(async () => {
  await Promise.all([server, unbuilt].map((s) => new Promise((done) => s?.close(done))));
  await rm(temp, { recursive: true, force: true });
});

describe("console build", () => {
  it("writes the three files and bundles every operation: the contract's and the MASH process's", async () => {
    expect(built.files.map((file) => file.name).sort()).toEqual([
      "console.css",
      "console.js",
      "index.html",
    ]);
    expect(built.operations).toEqual([
      "AnswerResearch",
      "AskAgencies",
      "ChangeRag",
      "CloseEnquiry",
      "DecideEnquiry",
      "EnquiryProcess",
      "EnquiryWorkspace",
      "FindSubject",
      "MashPerformance",
      "OpenEnquiry",
      "OpenEnquiryFromContact",
      "RecordContact",
      "RecordDisagreement",
      "RecordReferrerFeedback",
      "ReleaseAgency",
      "ScreenContact",
      "SubjectChronology",
      "SubjectOverview",
    ]);
    const script = await readFile(join(built.outDir, "console.js"), "utf8");
    for (const name of built.operations)
      expect(script).toMatch(new RegExp(`(query|mutation) ${name}\\(`));
    expect(script).toContain("Development sign-in: synthetic data only");
    expect(script).not.toContain("authorization is not enforced");
  });

  it("references no CDN: every script, style and font is local or inlined", async () => {
    const html = await readFile(join(built.outDir, "index.html"), "utf8");
    const css = await readFile(join(built.outDir, "console.css"), "utf8");
    const served = (await send(port, "/graphql", { accept: BROWSER_ACCEPT })).body.toString();
    for (const page of [html, served]) {
      expect(page).not.toMatch(/https?:\/\//);
      const refs = [...page.matchAll(/(?:src|href)="([^"]*)"/g)].map((match) => match[1]);
      expect(refs.length).toBeGreaterThanOrEqual(2);
      for (const ref of refs) expect(ref).toMatch(/^(\/console\/[\w.-]+(\?v=[0-9a-f]+)?|data:.*)$/);
    }
    expect(css).not.toMatch(/@import/);
    for (const [, target] of css.matchAll(/url\(\s*["']?([^"')]*)/g))
      expect(target).toMatch(/^data:/);
  });
});

describe("console handler", () => {
  it("serves the console to a browser asking for /graphql, with a strict CSP", async () => {
    const reply = await send(port, "/graphql", { accept: BROWSER_ACCEPT });
    expect(reply.status).toBe(200);
    expect(reply.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(reply.body.toString()).toContain('<div id="root"></div>');
    const csp = reply.headers["content-security-policy"] ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toMatch(/unsafe-eval|https?:|\*/);
    expect(reply.headers["x-content-type-options"]).toBe("nosniff");
    expect(reply.headers["referrer-policy"]).toBe("no-referrer");
    expect(reply.headers.vary).toContain("Accept");
  });

  it("answers HEAD with headers only", async () => {
    const reply = await send(port, "/graphql", { accept: "text/html" }, "HEAD");
    expect(reply.status).toBe(200);
    expect(Number(reply.headers["content-length"])).toBeGreaterThan(0);
    expect(reply.body.length).toBe(0);
  });

  it.each([
    ["application/json", "GET"],
    ["application/graphql-response+json, application/json;q=0.9", "GET"],
    ["*/*", "GET"],
    ["", "GET"],
    ["text/html;q=0.5, application/json", "GET"],
    [BROWSER_ACCEPT, "POST"],
  ])("leaves /graphql to the gateway for Accept %j on %s", async (accept, method) => {
    const reply = await send(port, "/graphql", accept ? { accept } : {}, method);
    expect(reply.status).toBe(418);
    expect(reply.body.toString()).toBe(FALLBACK);
  });

  it("leaves other paths to the gateway", async () => {
    for (const path of ["/", "/health", "/graphql/", "/consoles/console.js"]) {
      expect((await send(port, path, { accept: BROWSER_ACCEPT })).status).toBe(418);
    }
  });

  it("serves assets with their types, ETags and versioned immutable caching", async () => {
    const html = (await send(port, "/graphql", { accept: "text/html" })).body.toString();
    for (const [name, type] of [
      ["console.js", "text/javascript; charset=utf-8"],
      ["console.css", "text/css; charset=utf-8"],
    ] as const) {
      const file = await readFile(join(built.outDir, name));
      const plain = await send(port, `/console/${name}`);
      expect(plain.status).toBe(200);
      expect(plain.headers["content-type"]).toBe(type);
      expect(plain.headers["cache-control"]).toBe("no-cache");
      expect(plain.body.equals(file)).toBe(true);
      const etag = plain.headers.etag ?? "";
      expect((await send(port, `/console/${name}`, { "if-none-match": etag })).status).toBe(304);

      const versionedPath = html.match(
        new RegExp(`/console/${name.replace(".", "\\.")}\\?v=[0-9a-f]+`),
      )?.[0];
      expect(versionedPath).toBeDefined();
      const versioned = await send(port, versionedPath ?? "", { "accept-encoding": "gzip, br" });
      expect(versioned.headers["cache-control"]).toContain("immutable");
      expect(versioned.headers["content-encoding"]).toBe("gzip");
      expect(gunzipSync(versioned.body).equals(file)).toBe(true);
      const stale = await send(port, `/console/${name}?v=0000000000000000`);
      expect(stale.headers["cache-control"]).toBe("no-cache");
    }
  });

  it.each([
    "/console/../secret.txt",
    "/console/..%2fsecret.txt",
    "/console/%2e%2e/secret.txt",
    "/console/%2E%2E%2Fsecret.txt",
    "/console/..\\secret.txt",
    "/console//etc/passwd",
    "/console/../../package.json",
    "/console/.hidden.js",
    "/console/index.html",
    "/console/missing.js",
    "/console/",
  ])("refuses %s", async (path) => {
    const reply = await send(port, path);
    expect(reply.status).toBe(404);
    expect(reply.body.toString()).not.toContain("do not serve");
  });

  it("answers 503 with a hint when the bundle has not been built", async () => {
    for (const path of ["/graphql", "/console/console.js"]) {
      const reply = await send(portOf(unbuilt), path, { accept: BROWSER_ACCEPT });
      expect(reply.status).toBe(503);
      expect(reply.headers["content-type"]).toBe("text/plain; charset=utf-8");
      expect(reply.body.toString()).toContain("npm run build");
    }
  });
});

describe("governance console", () => {
  it("builds its own three files, with no GraphiQL and no CDN", async () => {
    expect(governance.files.map((file) => file.name).sort()).toEqual([
      "governance.css",
      "governance.js",
      "index.html",
    ]);
    const html = await readFile(join(governance.outDir, "index.html"), "utf8");
    const css = await readFile(join(governance.outDir, "governance.css"), "utf8");
    const script = await readFile(join(governance.outDir, "governance.js"), "utf8");
    expect(html).toContain("<title>MASH governance console</title>");
    expect(html).not.toMatch(/https?:\/\//);
    const refs = [...html.matchAll(/(?:src|href)="([^"]*)"/g)].map((match) => match[1]);
    expect(refs.length).toBeGreaterThanOrEqual(2);
    for (const ref of refs)
      expect(ref).toMatch(/^(\/governance\/governance\.(js|css)\?v=[0-9a-f]+|data:.*)$/);
    expect(css).not.toMatch(/@import|url\(/);
    expect(script).toContain("/governance/graphql");
    expect(script).not.toContain("graphiql");
    // A fraction of the GraphQL console: React and the screens, nothing else.
    expect(governance.totalBytes).toBeLessThan(400_000);
  });

  it.each(["/governance", "/governance/", "/governance?tab=matrix"])(
    "serves the page at %s with the strict CSP, whatever the Accept header",
    async (path) => {
      for (const accept of [BROWSER_ACCEPT, "*/*", ""]) {
        const reply = await send(port, path, accept ? { accept } : {});
        expect(reply.status).toBe(200);
        expect(reply.headers["content-type"]).toBe("text/html; charset=utf-8");
        expect(reply.body.toString()).toContain("/governance/governance.js?v=");
        const csp = reply.headers["content-security-policy"] ?? "";
        expect(csp).toContain("default-src 'self'");
        expect(csp).toContain("script-src 'self';");
        expect(csp).not.toMatch(/unsafe-eval|https?:|\*/);
        expect(reply.headers["x-content-type-options"]).toBe("nosniff");
      }
    },
  );

  it("serves its assets, versioned URLs immutable", async () => {
    const html = (await send(port, "/governance")).body.toString();
    for (const name of ["governance.js", "governance.css"]) {
      const file = await readFile(join(governance.outDir, name));
      const plain = await send(port, `/governance/${name}`);
      expect(plain.status).toBe(200);
      expect(plain.body.equals(file)).toBe(true);
      const versionedPath = html.match(
        new RegExp(`/governance/${name.replace(".", "\\.")}\\?v=[0-9a-f]+`),
      )?.[0];
      expect(versionedPath).toBeDefined();
      const versioned = await send(port, versionedPath ?? "");
      expect(versioned.headers["cache-control"]).toContain("immutable");
    }
    // Each app's assets only under its own prefix.
    expect((await send(port, "/console/governance.js")).status).toBe(404);
    expect((await send(port, "/governance/console.js")).status).toBe(404);
  });

  it.each([
    ["/governance/graphql", "GET"],
    ["/governance/graphql", "POST"],
    ["/governance", "POST"],
    ["/governance/graphql?query=x", "GET"],
    ["/governancex", "GET"],
    ["/governance/something", "GET"],
  ])("leaves %s (%s) to the gateway: the API shares the prefix", async (path, method) => {
    const reply = await send(port, path, { accept: BROWSER_ACCEPT }, method);
    expect(reply.status).toBe(418);
  });

  it.each([
    "/governance/../secret.txt",
    "/governance/..%2fsecret.txt",
    "/governance/%2e%2e/secret.txt",
    "/governance/../console/console.js",
    "/governance/.hidden.js",
    "/governance/index.html",
    "/governance/missing.js",
  ])("never serves anything outside its bundle for %s", async (path) => {
    const reply = await send(port, path);
    expect([404, 418]).toContain(reply.status);
    expect(reply.body.toString()).not.toContain("do not serve");
  });

  it("answers 503 with a hint when it has not been built", async () => {
    const reply = await send(portOf(unbuilt), "/governance", { accept: BROWSER_ACCEPT });
    expect(reply.status).toBe(503);
    expect(reply.body.toString()).toContain("governance console has not been built");
  });
});

describe("prefersHtml", () => {
  it.each([
    [BROWSER_ACCEPT, true],
    ["text/html", true],
    ["text/*", true],
    ["text/html;q=0, */*", false],
    ["application/json, text/html;q=0.9", false],
    ["text/html, application/json", false],
    [undefined, false],
  ])("%j -> %s", (accept, expected) => {
    expect(prefersHtml(accept)).toBe(expected);
  });
});
