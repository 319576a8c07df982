import { type ChildProcess, spawn } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadFixtures, newContextKeyPair } from "@mash/kit";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildProduction, type ProductionBuild } from "../../scripts/build-production.ts";
import { serverNodeFlags } from "../../scripts/node-flags.ts";
import { type ProductionManifest, productionBundles } from "../../scripts/production.ts";

/**
 * `npm run build`'s production bundles, run as an operator runs them: plain `node`, NODE_ENV
 * production, the launcher for the whole graph and one entry on its own. Built into a folder of
 * the test's own (the same layout as the repository's), so a developer's build and the bundles
 * other suites start from are never touched mid-run.
 */

const root = fileURLToPath(new URL("../..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "mash-production-"));
const outRoot = join(dir, "build");
// Every production process's TMPDIR: tsx keeps what it compiles there, so any TypeScript
// compiled on the way leaves a folder behind.
const processTmp = join(dir, "tmp");
mkdirSync(processTmp);
const ISSUER = "https://login.example-council.test";
const READY_MS = 60_000;
const startMjs = join(outRoot, "scripts/start.mjs");

const started: ChildProcess[] = [];

afterAll(async () => {
  for (const child of started) {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) continue;
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // Gone already, with every process it started.
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

/** Only these settings: a developer's MASH_* (or the test runner's NODE_ENV) must not leak in. */
function productionEnv(settings: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith("MASH_") && k !== "NODE_ENV" && k !== "NODE_OPTIONS") env[k] = v;
  return { ...env, TMPDIR: processTmp, LOG_LEVEL: "warn", HOST: "127.0.0.1", ...settings };
}

interface Run {
  child: ChildProcess;
  output: () => string;
  /** The URL its "ready" message gave; rejects with the output if it stops first. */
  ready: Promise<string>;
  exited: Promise<number | null>;
}

/** `node <args>`, in its own process group, with an IPC channel as the launcher gives one. */
function run(args: string[], env: NodeJS.ProcessEnv): Run {
  const child = spawn(process.execPath, args, {
    cwd: dir,
    env,
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    detached: true,
  });
  started.push(child);
  let output = "";
  child.stdout?.on("data", (d) => {
    output += d;
  });
  child.stderr?.on("data", (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const ready = new Promise<string>((resolve, reject) => {
    child.on("message", (m: { type?: string; url?: string }) => {
      if (m?.type === "ready" && m.url) resolve(m.url);
    });
    void exited.then((code) => reject(new Error(`exited (${code}) before ready:\n${output}`)));
    setTimeout(
      () => reject(new Error(`not ready in ${READY_MS} ms:\n${output}`)),
      READY_MS,
    ).unref();
  });
  ready.catch(() => {});
  return { child, output: () => output, ready, exited };
}

/** A process's command line and environment, as the kernel has them. */
function processOf(pid: number): { argv: string[]; env: Record<string, string> } {
  const fields = (file: string) =>
    readFileSync(`/proc/${pid}/${file}`, "utf8").split("\0").filter(Boolean);
  const env = Object.fromEntries(
    fields("environ").map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]),
  );
  return { argv: fields("cmdline"), env };
}

/** The processes `pid` started. */
function childrenOf(pid: number): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        // Field 4 of stat is the parent; the name (field 2) may hold spaces, so read after it.
        const stat = readFileSync(`/proc/${name}/stat`, "utf8");
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/**
 * Plain node running one of `scripts`, in production: no tsx on the way in. (The launcher's own
 * NODE_ENV is set once it runs, which /proc does not show; its children start with it.)
 */
function expectPlainNode(
  pid: number,
  scripts: string[],
  args: string[] = [],
  started = true,
  /** Node's own flags, before the script: what the launcher gives its servers (node-flags.ts). */
  flags: string[] = [],
) {
  const { argv, env } = processOf(pid);
  expect(argv[0]).toBe(process.execPath);
  expect(argv.slice(1, 1 + flags.length)).toEqual(flags);
  expect(scripts).toContain(argv[1 + flags.length]);
  expect(argv.slice(2 + flags.length)).toEqual(args);
  expect(argv.join(" ")).not.toMatch(/tsx/);
  expect(env.NODE_OPTIONS ?? "").not.toMatch(/tsx/);
  if (started) expect(env.NODE_ENV).toBe("production");
}

async function graphql(url: string, query: string, token?: string) {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const SEARCH = '{ searchSubjects(name: "Amelia Doe") { subject { id police { known } } } }';
/** The best match for the name, as the police officer may see it. */
const firstMatch = (body: Record<string, unknown>) =>
  (body as { data?: { searchSubjects?: { subject: unknown }[] } }).data?.searchSubjects?.[0]
    ?.subject;
const AMELIA = { id: "S-1001", police: { known: false } };

describe("the production build", () => {
  let build: ProductionBuild;
  let bundles: string[];
  // The identity provider: its keys are given as configuration (MASH_AUTH_JWKS).
  let providerJwks: string;
  let signAs: (username: string) => Promise<string>;
  // The gateway's context key, as production configures it (no development pair).
  let contextKey: string;

  beforeAll(async () => {
    build = await buildProduction({ outRoot });
    bundles = Object.values(build.entries);
    // start:prod's own script, beside the build's launcher as in the repository.
    copyFileSync(join(root, "scripts/start.mjs"), startMjs);
    const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
    providerJwks = JSON.stringify({
      keys: [{ ...(await exportJWK(publicKey)), kid: "council-1", alg: "ES256", use: "sig" }],
    });
    signAs = async (username) => {
      const user = loadFixtures().users.find((u) => u.username === username);
      if (!user) throw new Error(`no fixture user ${username}`);
      return new SignJWT({ name: user.name, agency: user.agency, roles: user.roles })
        .setProtectedHeader({ alg: "ES256", kid: "council-1" })
        .setSubject(user.username)
        .setIssuer(ISSUER)
        .setAudience("mash-gateway")
        .setIssuedAt()
        .setExpirationTime("10m")
        .sign(privateKey);
    };
    contextKey = JSON.stringify((await newContextKeyPair()).privateJwk);
  }, 180_000);

  it("writes each workspace's entry and a manifest listing them, agencies in port order", async () => {
    expect(build.entries).toMatchObject({
      launcher: join(outRoot, "scripts/dist/start.mjs"),
      gateway: join(outRoot, "gateway/dist/main.mjs"),
      "agency-police": join(outRoot, "subgraphs/police/dist/main.mjs"),
      "audit-verify": join(outRoot, "gateway/dist/audit-verify.mjs"),
      "policies-check": join(outRoot, "gateway/dist/policies-check.mjs"),
    });
    for (const bundle of bundles) expect(existsSync(bundle)).toBe(true);
    expect(build.manifestFile).toBe(join(outRoot, "dist/production.json"));
    const found = await productionBundles({ manifestFile: build.manifestFile });
    expect(found).toMatchObject({
      kind: "bundles",
      bundles: {
        agencies: [
          "mash",
          "police",
          "childrens-services",
          "health",
          "education",
          "probation",
          "adult-social-care",
        ],
        entries: build.entries,
      },
    });
  });

  it("holds no path of the machine it was built on: the checkout may move", () => {
    // As a string or a file URL; the way from the build's folder to the sources is relative.
    const escaped = root.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    const absolute = new RegExp(`(["'\`]|file://)${escaped}`);
    const scripts = build.outputs.filter((file) => file.endsWith(".mjs"));
    // The entries and the chunks they share.
    expect(scripts.length).toBeGreaterThan(bundles.length);
    for (const file of scripts) expect(readFileSync(file, "utf8")).not.toMatch(absolute);
  });

  it("refuses to start the gateway in production with no way to sign in, naming both settings", async () => {
    // NODE_ENV unset: a production build is production unless told otherwise.
    const gateway = run(
      [build.entries.gateway as string],
      productionEnv({ PORT: "0", MASH_DATA_DIR: join(dir, "refused") }),
    );
    expect(await gateway.exited).toBe(1);
    expect(gateway.output()).toMatch(
      /^MASH_AUTH_ISSUER: is required when NODE_ENV is production;.*MASH_DEV_SIGN_IN=true/m,
    );
  });

  describe("npm run start:prod (the launcher) with an identity provider", () => {
    let launcher: Run;
    let url = "";
    let subgraphUrls = "";

    beforeAll(async () => {
      // As package.json's start:prod runs it, NODE_ENV unset: scripts/start.mjs --production.
      launcher = run(
        [startMjs, "--production"],
        productionEnv({
          PORT: "0",
          MASH_SUBGRAPH_BASE_PORT: "0",
          MASH_DATA_DIR: join(dir, "graph"),
          MASH_SEED_SUBJECTS: "100",
          MASH_AUTH_ISSUER: ISSUER,
          MASH_AUTH_JWKS: providerJwks,
          MASH_CONTEXT_SIGNING_KEY: contextKey,
        }),
      );
      url = await launcher.ready;
      subgraphUrls = [...launcher.output().matchAll(/^ {4}(\S+)\s+(http\S+)$/gm)]
        .map(([, name, at]) => `${name}=${at}`)
        .join(",");
    }, 120_000);

    it("runs every process from the build with plain node, in production", () => {
      const pid = launcher.child.pid as number;
      expectPlainNode(pid, [startMjs], ["--production"], false);
      const children = childrenOf(pid);
      // The gateway and the seven agencies; nothing compiling anything.
      expect(children).toHaveLength(8);
      // Each with V8's young generation sized for a server.
      const flags = serverNodeFlags({});
      for (const child of children) expectPlainNode(child, bundles, [], true, flags);
      expect(children.map((child) => processOf(child).argv[1 + flags.length]).sort()).toEqual(
        [build.entries.gateway, ...build.agencies.map((name) => build.entries[`agency-${name}`])]
          .map(String)
          .sort(),
      );
      // Nothing was compiled on the way: tsx would have left its cache here.
      expect(readdirSync(processTmp).filter((name) => name.startsWith("tsx"))).toEqual([]);
    });

    it("answers a query signed in through the identity provider", async () => {
      expect((await graphql(url, SEARCH)).status).toBe(401);
      expect(firstMatch((await graphql(url, SEARCH, await signAs("pc.jones"))).body)).toEqual(
        AMELIA,
      );
    });

    it("offers no development sign-in, and serves the console built for it", async () => {
      const base = url.replace(/\/graphql$/, "");
      const page = await fetch(url, { headers: { accept: "text/html" } });
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<title>MASH Gateway console<\/title>/);
      expect((await fetch(`${base}/dev/users`)).status).toBe(404);
      const token = await fetch(`${base}/dev/token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "pc.jones" }),
      });
      expect(token.status).toBe(404);
    });

    it("offers development sign-in from the gateway's own entry when MASH_DEV_SIGN_IN=true", async () => {
      const gateway = run(
        [build.entries.gateway as string],
        productionEnv({
          NODE_ENV: "production",
          MASH_DEV_SIGN_IN: "true",
          PORT: "0",
          MASH_DATA_DIR: join(dir, "dev-sign-in"),
          MASH_SUBGRAPH_URLS: subgraphUrls,
          MASH_CONTEXT_SIGNING_KEY: contextKey,
        }),
      );
      try {
        const devUrl = await gateway.ready;
        expectPlainNode(gateway.child.pid as number, bundles);
        const base = devUrl.replace(/\/graphql$/, "");
        const users = (await (await fetch(`${base}/dev/users`)).json()) as {
          users: { username: string }[];
        };
        expect(users.users.map((u) => u.username)).toContain("pc.jones");
        const issued = await fetch(`${base}/dev/token`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ username: "pc.jones" }),
        });
        const { token } = (await issued.json()) as { token: string };
        expect(firstMatch((await graphql(devUrl, SEARCH, token)).body)).toEqual(AMELIA);
      } finally {
        gateway.child.kill("SIGTERM");
        await gateway.exited;
      }
    });

    it("stops every process on SIGINT", async () => {
      launcher.child.kill("SIGINT");
      expect(await launcher.exited).toBe(0);
      await expect(fetch(url.replace("/graphql", "/health"))).rejects.toThrow();
    });
  });

  it("keeps the last build's chunks when built again, for servers still running it", async () => {
    // One chunk the last build wrote (as its manifest says) and this one does not; one older.
    const lastOnly = "dist/chunks/chunk-OF-THE-LAST-BUILD.mjs";
    const older = join(outRoot, "dist/chunks/chunk-OF-AN-OLDER-BUILD.mjs");
    const manifest = JSON.parse(readFileSync(build.manifestFile, "utf8")) as ProductionManifest;
    manifest.outputs[lastOnly] = { size: 10, mtimeMs: 0, sha256: "" };
    writeFileSync(build.manifestFile, JSON.stringify(manifest));
    for (const file of [join(outRoot, lastOnly), older]) writeFileSync(file, "export {};");
    build = await buildProduction({ outRoot });
    for (const file of build.outputs) expect(existsSync(file)).toBe(true);
    expect(existsSync(join(outRoot, lastOnly))).toBe(true);
    expect(existsSync(older)).toBe(false);
    expect(await productionBundles({ manifestFile: build.manifestFile })).toMatchObject({
      kind: "bundles",
    });
  }, 120_000);

  it("is refused by the launcher once its manifest is gone, which says to build", async () => {
    rmSync(build.manifestFile);
    const launcher = run(
      [startMjs, "--production"],
      productionEnv({
        PORT: "0",
        MASH_SUBGRAPH_BASE_PORT: "0",
        MASH_DATA_DIR: join(dir, "unbuilt"),
        MASH_CONTEXT_SIGNING_KEY: contextKey,
      }),
    );
    expect(await launcher.exited).toBe(1);
    expect(launcher.output()).toMatch(
      /No production build: run npm run build first \(.*dist\/production\.json is missing\)/,
    );
  });

  it("is refused by npm run start:prod where there is none, which says to build", async () => {
    const unbuilt = join(dir, "unbuilt-checkout/scripts/start.mjs");
    mkdirSync(dirname(unbuilt), { recursive: true });
    copyFileSync(join(root, "scripts/start.mjs"), unbuilt);
    const launcher = run([unbuilt, "--production"], productionEnv({}));
    expect(await launcher.exited).toBe(1);
    expect(launcher.output()).toBe(
      "MASH Gateway did not start: No production build: run npm run build first (scripts/dist/start.mjs is missing)\n",
    );
  });
});
