import {
  chmodSync,
  cpSync,
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
import { launch, root } from "./start-process.ts";

/**
 * `npm start` checks what it can before it seeds or starts anything, and names every problem at
 * once with its setting and what to do: taken ports, database URLs that do not parse or do not
 * answer, a data directory it cannot write, policies that do not load.
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
    // Node, the bundled launcher and the check; bundling first (a source changed) takes longer.
    if (!/Bundled the servers/.test(result.output)) expect(result.ms).toBeLessThan(5000);
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

  it("find nothing when all is well, well within a second, and a few ms once the policies passed", async () => {
    const policyCacheFile = join(temp, "policy-cache.json");
    let started = performance.now();
    expect(await preflight({ env, agencies: names, policyCacheFile })).toEqual([]);
    const checked = performance.now() - started;
    started = performance.now();
    expect(await preflight({ env, agencies: names, policyCacheFile })).toEqual([]);
    const remembered = performance.now() - started;
    expect(checked).toBeLessThan(1000);
    expect(remembered).toBeLessThan(checked);
    expect(remembered).toBeLessThan(100);
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
