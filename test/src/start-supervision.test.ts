import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devToken, isRunning, type Launcher, launch } from "./start-process.ts";

/**
 * `npm start` keeps its processes running: one system, started once, through a killed agency
 * (reported, /health naming it, restarted on its port, serving again), a killed gateway (restarted
 * on its port and handed the subgraphs again), an agency that keeps dying (given up after
 * MASH_RESTART_LIMIT, the rest still serving), and Ctrl-C (everything stopped, nothing restarted).
 * The cases run in order on that one system; each leaves it as the next expects.
 */
const dataDir = mkdtempSync(join(tmpdir(), "mash-supervision-"));
// One restart a minute each, and a wait long enough to see the gap it leaves.
const env = {
  PORT: "0",
  MASH_SUBGRAPH_BASE_PORT: "0",
  MASH_DATA_DIR: dataDir,
  MASH_SEED_SUBJECTS: "100",
  MASH_RESTART_LIMIT: "1",
  MASH_RESTART_DELAY_MS: "1500",
};

let system: Launcher;
let url: string;
let token: string;
let policeUrl: string;

const health = async () => {
  const res = await fetch(url.replace("/graphql", "/health"));
  return { status: res.status, body: (await res.json()) as { unavailable?: string[] } };
};

/** Polls /health until it answers `status` (a restarted process answers within moments). */
async function healthBecomes(status: number, ms = 10_000) {
  const until = Date.now() + ms;
  for (;;) {
    const answer = await health().catch(() => undefined);
    if (answer?.status === status || Date.now() > until) return answer;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function query(text: string) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: text }),
  });
  return (await res.json()) as { data?: { searchSubjects: { subject: unknown }[] } };
}
const withPolice = '{ searchSubjects(name: "Amelia Doe") { subject { id police { known } } } }';
const hubOnly = '{ searchSubjects(name: "Amelia Doe") { subject { id } } }';

function serverPid(name: string): number {
  const pid = system.servers().get(name);
  if (!pid) throw new Error(`no ${name} process under npm start:\n${system.output()}`);
  return pid;
}

beforeAll(async () => {
  system = launch(env);
  url = await system.ready();
  policeUrl = (/^ {4}police\s+(\S+)$/m.exec(system.output()) ?? [])[1] ?? "";
  token = devToken("pc.jones", dataDir);
}, 90_000);

afterAll(() => {
  system?.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("npm start supervision", () => {
  it("reports a killed agency with its last lines, /health names it, and it comes back on its port", async () => {
    expect(policeUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
    const pid = serverPid("police");
    const since = system.output().length;
    process.kill(pid, "SIGKILL");
    const report = await system.waitFor(
      /police \(pid (\d+)\) stopped unexpectedly: killed by SIGKILL\.\nLast lines from police:\n((?: {2}\| .*\n)+)Restarting police in 1\.5 s/,
      { since },
    );
    expect(Number(report[1])).toBe(pid);
    // What police printed as it seeded its store, not any other agency's lines.
    expect(report[2]).toMatch(/\| \[police\] persons: \d+ rows/);
    expect(report[2]).not.toMatch(/\[(mash|health|education)\]/);

    const down = await health();
    expect(down.status).toBe(503);
    expect(down.body.unavailable).toEqual(["police"]);

    const back = await system.waitFor(/police is back \(pid (\d+)\): (\S+)\n/, { since });
    expect(back[2]).toBe(policeUrl);
    expect(Number(back[1])).not.toBe(pid);
    expect((await healthBecomes(200))?.status).toBe(200);
    expect((await query(withPolice)).data?.searchSubjects[0]?.subject).toEqual({
      id: "S-1001",
      police: { known: false },
    });
  }, 60_000);

  it("restarts a killed gateway on its port and hands it the subgraphs again", async () => {
    const pid = serverPid("gateway");
    const since = system.output().length;
    process.kill(pid, "SIGKILL");
    await system.waitFor(
      /gateway \(pid \d+\) stopped unexpectedly: killed by SIGKILL\.\n[\s\S]*?Restarting gateway in 1\.5 s/,
      { since },
    );
    // Nothing serves the graph until it is back.
    await expect(health()).rejects.toThrow();
    const back = await system.waitFor(/gateway is back \(pid \d+\): (\S+)\n/, { since });
    expect(back[1]).toBe(url);
    expect((await healthBecomes(200))?.status).toBe(200);
    // The same development key: a token from before the crash still signs in.
    expect((await query(withPolice)).data?.searchSubjects[0]?.subject).toEqual({
      id: "S-1001",
      police: { known: false },
    });
  }, 60_000);

  it("gives up on an agency that keeps dying, saying what to do, and the rest keep serving", async () => {
    const pid = serverPid("police");
    const since = system.output().length;
    process.kill(pid, "SIGKILL");
    const gaveUp = await system.waitFor(/police is not restarted again: (.*)\n/, { since });
    expect(gaveUp[1]).toMatch(
      /restarted 1 time\(s\) within 60 s and stopped again \(MASH_RESTART_LIMIT=1, MASH_RESTART_WINDOW_MS=60000\)/,
    );
    expect(gaveUp[1]).toMatch(/The other processes keep running;.*run npm start again\./);
    // Longer than the restart wait: had a restart been scheduled it would have happened.
    await new Promise((r) => setTimeout(r, 2000));
    expect(system.output().slice(since)).not.toMatch(/Restarting police|police is back/);
    const servers = system.servers();
    expect(servers.has("police")).toBe(false);
    expect([...servers.keys()].sort()).toEqual([
      "adult-social-care",
      "childrens-services",
      "education",
      "gateway",
      "health",
      "mash",
      "probation",
    ]);
    const down = await health();
    expect(down.status).toBe(503);
    expect(down.body.unavailable).toEqual(["police"]);
    expect((await query(hubOnly)).data?.searchSubjects[0]?.subject).toEqual({ id: "S-1001" });
  }, 60_000);

  it("stops everything on SIGINT and restarts nothing", async () => {
    const pids = [...system.servers().values()];
    expect(pids.length).toBe(7);
    const since = system.output().length;
    system.child.kill("SIGINT");
    expect(await system.exited).toEqual({ code: 0, signal: null });
    expect(system.output().slice(since)).not.toMatch(/stopped unexpectedly|Restarting|is back/);
    expect(pids.filter(isRunning)).toEqual([]);
    expect(await system.anyRunning()).toBe(false);
  }, 30_000);
});

describe("npm start when a process dies before it is ready", () => {
  it("says which, with its last lines, and stops everything", async () => {
    // A setting only the gateway's own entry reads (the preflight does not): it stops the
    // gateway as it starts, after the subgraphs.
    const failing = launch({ ...env, MASH_SHUTDOWN_DELAY_MS: "2s" });
    try {
      const { code } = await failing.exited;
      expect(code).toBe(1);
      expect(failing.output()).toMatch(
        /MASH Gateway did not start: gateway stopped before it was ready \(exit code 1\)\.\nLast lines from gateway:\n(?: {2}\| .*\n)*? {2}\| .*MASH_SHUTDOWN_DELAY_MS: "2s" is not a whole number from 0 to 60000.*\n/,
      );
      expect(failing.output()).not.toMatch(/Restarting/);
      // Every server it started has stopped too (they are all in its process group).
      expect(await failing.anyRunning()).toBe(false);
    } finally {
      failing.kill();
    }
  }, 90_000);
});
