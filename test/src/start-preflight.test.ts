import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { storeBackends, testDatabaseUrl } from "@mash/kit/testing";
import { afterAll, describe, expect, it } from "vitest";
import { agencies } from "../../scripts/agencies.ts";
import { preflight } from "../../scripts/preflight.ts";
import { bundleForNode } from "../../scripts/server-bundles.ts";
import { launch, root } from "./start-process.ts";

/**
 * `npm start` checks what it can before it seeds or starts anything, and names every problem at
 * once with its setting and what to do: taken ports, database URLs that do not parse or do not
 * answer, a data directory it cannot write, settings the gateway or the agencies would refuse,
 * policies that do not load.
 */
const temp = mkdtempSync(join(tmpdir(), "mash-preflight-"));
const servers: Server[] = [];
afterAll(() => {
  for (const server of servers) server.close();
  rmSync(temp, { recursive: true, force: true });
});
const names = agencies.map((agency) => agency.name);
const postgres = (await storeBackends()).find((b) => b.backend === "postgres");

/** A port another process holds for the rest of the suite. */
async function takenPort(): Promise<number> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as { port: number }).port;
}

/** Runs `npm start` to its end: it must stop by itself, having started nothing. */
async function startFails(env: Record<string, string>, command?: string[]) {
  const started = performance.now();
  const system = launch({ PORT: "0", MASH_SUBGRAPH_BASE_PORT: "0", ...env }, command);
  try {
    const { code } = await system.exited;
    const output = system.output();
    // The problems, one per line after the count.
    const problems = (
      /the preflight found \d+ problem\(s\):\n((?: {2}.*\n)+)/.exec(output)?.[1] ?? ""
    )
      .split("\n")
      .filter(Boolean)
      .map((line) => line.slice(2));
    return { code, output, problems, ms: performance.now() - started, system };
  } finally {
    system.kill();
  }
}

describe("npm start preflight", () => {
  it("names a taken port with its setting and stops at once", async () => {
    const port = await takenPort();
    const dataDir = join(temp, "port");
    const result = await startFails({ PORT: String(port), MASH_DATA_DIR: dataDir });
    expect(result.code).toBe(1);
    expect(result.problems).toEqual([
      `PORT ${port} is in use: stop the other instance or set PORT`,
    ]);
    expect(result.output).not.toMatch(/Starting \d+ agency subgraphs/);
    // No process was started, so nothing was seeded and no key was made.
    expect(readdirSync(dataDir)).toEqual([]);
    expect(await result.system.anyRunning()).toBe(false);
  }, 90_000);

  it("names every problem at once: agency port, database URLs, policies", async () => {
    const base = await takenPort();
    const policies = join(temp, "policies");
    cpSync(join(root, "policies"), policies, { recursive: true });
    const police = join(policies, "police.yaml");
    writeFileSync(
      police,
      readFileSync(police, "utf8").replace("PoliceSection: [known]", "PoliceSection: [knwon]"),
    );
    const dataDir = join(temp, "all");
    const result = await startFails({
      MASH_SUBGRAPH_BASE_PORT: String(base),
      MASH_DATA_DIR: dataDir,
      MASH_DATABASE_URL_POLICE: "police-db.internal:5432",
      MASH_AUDIT_DATABASE_URL: "postgres://audit:s3cret-pw@127.0.0.1:1/mash",
      MASH_POLICIES_DIR: policies,
    });
    expect(result.code).toBe(1);
    expect(result.problems).toEqual(
      expect.arrayContaining([
        `MASH_SUBGRAPH_BASE_PORT ${base} + 0 = ${base} (mash) is in use: stop the other instance or set MASH_SUBGRAPH_BASE_PORT`,
        'MASH_DATABASE_URL_POLICE: uses "police-db.internal:"; only postgres:// URLs are supported (leave it unset for the embedded SQLite store)',
        "MASH_AUDIT_DATABASE_URL: PostgreSQL at 127.0.0.1:1 (database mash) does not answer (connection refused: nothing listens there): start it, or correct the URL",
        `MASH_POLICIES_DIR: ${police}:10 rule police-known-flag: PoliceSection has no field "knwon"`,
      ]),
    );
    expect(result.output).not.toContain("s3cret-pw");
    expect(result.output).not.toMatch(/Starting \d+ agency subgraphs/);
    expect(readdirSync(dataDir)).toEqual([]);
  }, 90_000);

  it("names the gateway's and the agencies' settings before anything is seeded", async () => {
    const dataDir = join(temp, "settings");
    const result = await startFails({
      MASH_DATA_DIR: dataDir,
      MASH_RATE_LIMIT_PER_MINUTE: "lots",
      MASH_MAX_QUERY_COST: "0",
      MASH_AUTH_JWKS_URL: "https://idp.example.gov.uk/jwks",
      MASH_CONTEXT_SIGNING_KEY: '{"kty":"OKP"}',
      MASH_SEED_SUBJECTS: "-3",
    });
    expect(result.code).toBe(1);
    expect(result.problems).toEqual([
      'MASH_MAX_QUERY_COST: "0" is not a positive number',
      'MASH_RATE_LIMIT_PER_MINUTE: "lots" is not a positive number',
      "MASH_AUTH_JWKS_URL: is set without MASH_AUTH_ISSUER; set both to trust an identity provider",
      'MASH_CONTEXT_SIGNING_KEY: the key is not an Ed25519 key (expected "kty": "OKP", "crv": "Ed25519" and "x")',
      'MASH_SEED_SUBJECTS: "-3" is not a whole number',
    ]);
    expect(result.output).not.toMatch(/Starting \d+ agency subgraphs/);
    // No agency opened (or seeded) its store, and no development key was made.
    expect(readdirSync(dataDir)).toEqual([]);
    expect(await result.system.anyRunning()).toBe(false);
  }, 90_000);

  it("names a URL that does not parse", async () => {
    const result = await startFails({
      MASH_DATA_DIR: join(temp, "url"),
      MASH_DATABASE_URL: "not a url",
      MASH_POLICY_DATABASE_URL: "mysql://policy@db/mash",
    });
    expect(result.code).toBe(1);
    expect(result.problems).toEqual([
      "MASH_DATABASE_URL: is not a URL; expected postgres://user@host:port/database",
      "MASH_POLICY_DATABASE_URL: is not a postgres:// URL such as postgres://policy@db.internal:5432/mash",
    ]);
  }, 90_000);

  // Root may write anywhere: as root the start runs without the capability to override file
  // modes (setpriv, util-linux), as gateway/src/data-dir.test.ts does.
  it("names a data directory it cannot write", async () => {
    const locked = join(temp, "locked");
    mkdirSync(locked);
    chmodSync(temp, 0o755);
    chmodSync(locked, 0o555);
    try {
      const asRoot = process.getuid?.() === 0;
      const result = await startFails(
        { MASH_DATA_DIR: locked },
        asRoot ? ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"] : [],
      );
      expect(result.code).toBe(1);
      expect(result.problems).toEqual([
        `MASH_DATA_DIR: ${locked} is not writable by this process: make it writable (chmod u+w) or set MASH_DATA_DIR`,
      ]);
    } finally {
      chmodSync(locked, 0o700);
    }
  }, 90_000);

  it("names a data directory that is a file", async () => {
    const file = join(temp, "a-file");
    writeFileSync(file, "");
    const result = await startFails({ MASH_DATA_DIR: file });
    expect(result.problems).toEqual([
      `MASH_DATA_DIR: ${file} is a file, not a directory: set MASH_DATA_DIR to a directory`,
    ]);
  }, 90_000);
});

describe("the preflight checks", () => {
  const env = { PORT: "0", MASH_SUBGRAPH_BASE_PORT: "0", MASH_DATA_DIR: join(temp, "fine") };

  // The launcher reads these itself, after the preflight: a malformed one is named with the rest.
  it("name the launcher's own settings with the others", async () => {
    expect(
      await preflight({
        env: { ...env, PORT: "abc", MASH_SUBGRAPH_BASE_PORT: "x", MASH_RESTART_LIMIT: "many" },
        agencies: names,
      }),
    ).toEqual([
      'PORT: "abc" is not a port number (0 to 65535)',
      'MASH_SUBGRAPH_BASE_PORT: "x" is not a port number (0 to 65535)',
      'MASH_RESTART_LIMIT: "many" is not a whole number',
    ]);
  });

  // How long it takes is measured by `npm run bench -- --only startup`, not asserted here.
  it("find nothing when all is well, and remember the policies' pass", async () => {
    const policyCacheFile = join(temp, "policy-cache.json");
    expect(existsSync(policyCacheFile)).toBe(false);
    expect(await preflight({ env, agencies: names, policyCacheFile })).toEqual([]);
    expect(existsSync(policyCacheFile)).toBe(true);
    expect(await preflight({ env, agencies: names, policyCacheFile })).toEqual([]);
  });

  it("do not take a passed check for a changed policy", async () => {
    const policies = join(temp, "changing");
    cpSync(join(root, "policies"), policies, { recursive: true });
    const policyCacheFile = join(temp, "changing-cache.json");
    const changed = { ...env, MASH_POLICIES_DIR: policies };
    expect(await preflight({ env: changed, agencies: names, policyCacheFile })).toEqual([]);
    writeFileSync(join(policies, "health.yaml"), "agency: health\nrules: [\n");
    const problems = await preflight({ env: changed, agencies: names, policyCacheFile });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^MASH_POLICIES_DIR: .*health\.yaml:\d+/);
  });

  it("name two processes given one port", async () => {
    const problems = await preflight({
      env: { ...env, PORT: "4003", MASH_SUBGRAPH_BASE_PORT: "4001" },
      agencies: names,
    });
    expect(problems).toContain(
      "MASH_SUBGRAPH_BASE_PORT 4001 + 2 = 4003 (childrens-services) is also PORT 4003: set MASH_SUBGRAPH_BASE_PORT or PORT so they do not overlap",
    );
  });

  it("name every problem of one parser, not only its first", async () => {
    const problems = await preflight({
      env: {
        ...env,
        MASH_RATE_LIMIT_PER_MINUTE: "lots",
        MASH_CORS_ORIGINS: "https://portal.example.gov.uk/app",
        MASH_METRICS_TOKEN: "short",
      },
      agencies: names,
    });
    expect(problems).toEqual([
      'MASH_CORS_ORIGINS: "https://portal.example.gov.uk/app" is not an origin such as https://mash.example.gov.uk (scheme, host and port, no path)',
      'MASH_RATE_LIMIT_PER_MINUTE: "lots" is not a positive number',
      "MASH_METRICS_TOKEN: has 5 characters; an operator credential has at least 32 (for example `openssl rand -hex 32`)",
    ]);
  });

  it("refuse production without an identity provider unless development sign-in is asked for", async () => {
    const production = { ...env, NODE_ENV: "production" };
    expect(await preflight({ env: production, agencies: names })).toEqual([
      "MASH_AUTH_ISSUER: is required when NODE_ENV is production; set it (with MASH_AUTH_JWKS_URL or MASH_AUTH_JWKS) to trust an identity provider, or set MASH_DEV_SIGN_IN=true to let anyone who reaches the gateway sign in as a fixture user (synthetic data only)",
    ]);
    expect(
      await preflight({ env: { ...production, MASH_DEV_SIGN_IN: "true" }, agencies: names }),
    ).toEqual([]);
  });

  it("do not name what only follows from a setting taken away to look further", async () => {
    // Without MASH_AUTH_JWKS the parser would ask for MASH_AUTH_JWKS_URL: not a problem given.
    expect(
      await preflight({
        env: { ...env, MASH_AUTH_ISSUER: "https://idp.example.gov.uk", MASH_AUTH_JWKS: "{" },
        agencies: names,
      }),
    ).toEqual(['MASH_AUTH_JWKS: is not JSON; expected a JWK set such as {"keys": [...]}']);
  });

  it("leave the subgraph URLs to the launcher, and name a shared setting once", async () => {
    const problems = await preflight({
      env: {
        ...env,
        // npm start hands the gateway the URLs its subgraphs listen on, whatever this says.
        MASH_SUBGRAPH_URLS: "not a list",
        MASH_DATABASE_URL: "postgres://mash@127.0.0.1:1/mash",
        MASH_DATABASE_SCHEMA_PREFIX: "Hub-",
      },
      agencies: names,
    });
    expect(problems).toEqual([
      "MASH_DATABASE_URL: PostgreSQL at 127.0.0.1:1 (database mash) does not answer (connection refused: nothing listens there): start it, or correct the URL",
      "MASH_DATABASE_SCHEMA_PREFIX: may hold only lower-case letters, digits and underscores, and must not start with a digit",
    ]);
  });

  it("load the gateway's and the kit's parsers without their servers", async () => {
    // What the settings check loads, as the launcher's bundle holds it (scripts/server-bundles.ts):
    // the kit's index or a server would cost every start a second of CPU.
    const { inputs } = await bundleForNode({
      entryPoints: { settings: "scripts/preflight-settings.ts" },
      outdir: join(temp, "settings-bundle"),
    });
    const sources = inputs.map((file) => file.slice(root.length));
    expect(sources).toContain("gateway/src/config.ts");
    expect(sources).toContain("gateway/src/identity/config.ts");
    expect(
      sources.filter((file) =>
        /^subgraphs\/kit\/src\/(index|server\/)|node_modules\/(@apollo\/|kysely|pino|pg)\b/.test(
          file,
        ),
      ),
    ).toEqual([]);
  });

  it.skipIf(postgres?.unavailable)("pass a PostgreSQL that answers", async () => {
    expect(
      await preflight({
        env: {
          ...env,
          MASH_DATABASE_URL: testDatabaseUrl,
          MASH_AUDIT_DATABASE_URL: testDatabaseUrl,
        },
        agencies: names,
      }),
    ).toEqual([]);
  });
});
