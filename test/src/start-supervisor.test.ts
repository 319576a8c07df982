import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { OutputTail } from "../../scripts/output-tail.ts";
import { restartDelay, restartPolicyFrom } from "../../scripts/restart-policy.ts";
import { Supervisor } from "../../scripts/supervisor.ts";

/**
 * The supervisor on its own, over a tiny server that says it is ready and then dies: backoff,
 * the restart limit, the port a restart is given, and a stop that cancels a pending restart.
 * start-supervision.test.ts runs it under `npm start` with the real servers.
 */
const dir = mkdtempSync(join(tmpdir(), "mash-supervisor-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const server = join(dir, "server.mjs");
writeFileSync(
  server,
  `console.log("listening on " + process.env.PORT);
if (process.env.READY !== "no") process.send({ type: "ready", url: "http://127.0.0.1:4321/graphql" });
setTimeout(() => process.exit(3), Number(process.env.LIVE_MS));
`,
);

function supervised(policy = { limit: 2, windowMs: 60_000, delayMs: 100, maxDelayMs: 30_000 }) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (d) => {
    out += d;
  });
  stderr.on("data", (d) => {
    err += d;
  });
  const supervisor = new Supervisor({ cwd: dir, env: process.env, policy, stdout, stderr });
  return { supervisor, out: () => out, err: () => err };
}

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("the supervisor", () => {
  it("restarts a crashed process on its first port with a doubling wait, then gives up", async () => {
    const { supervisor, out, err } = supervised();
    const spawns: boolean[] = [];
    const run = supervisor.start({
      name: "police",
      args: [server],
      env: { PORT: "0", LIVE_MS: "150" },
      restartEnv: (url) => ({ PORT: new URL(url).port }),
      onSpawn: (_child, restart) => spawns.push(restart),
      whenDown: "the gateway names it",
    });
    expect(await run.ready).toBe("http://127.0.0.1:4321/graphql");
    await until(() => /not restarted again/.test(err()));
    const text = err();
    expect(text).toMatch(
      /police \(pid \d+\) stopped unexpectedly: exit code 3\.\nLast lines from police:\n {2}\| listening on 0\nRestarting police in 0\.1 s \(restart 1 of at most 2 within 60 s\)\./,
    );
    // The restart was given the port the first start was ready on, and its own last lines shown.
    expect(text).toMatch(
      /Last lines from police:\n {2}\| listening on 4321\nRestarting police in 0\.2 s \(restart 2 of at most 2 within 60 s\)\./,
    );
    expect(text).toMatch(
      /police is not restarted again: it was restarted 2 time\(s\) within 60 s and stopped again \(MASH_RESTART_LIMIT=2, MASH_RESTART_WINDOW_MS=60000\)\. The other processes keep running; the gateway names it\. Fix the cause/,
    );
    expect(text.match(/stopped unexpectedly/g)).toHaveLength(3);
    expect(
      out().match(/police is back \(pid \d+\): http:\/\/127\.0\.0\.1:4321\/graphql/g),
    ).toHaveLength(2);
    expect(spawns).toEqual([false, true, true]);
    expect(run.child()).toBeUndefined();
    await supervisor.stop();
  });

  it("does not restart a process that dies before it is ready: its ready names why", async () => {
    const { supervisor, err } = supervised();
    const run = supervisor.start({
      name: "health",
      args: [server],
      env: { PORT: "0", LIVE_MS: "10", READY: "no" },
    });
    await expect(run.ready).rejects.toThrow(
      /^health stopped before it was ready \(exit code 3\)\.\nLast lines from health:\n {2}\| listening on 0$/,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(err()).not.toMatch(/Restarting/);
    await supervisor.stop();
  });

  it("restarts nothing once stopped, not even a restart already waiting", async () => {
    const { supervisor, err, out } = supervised({
      limit: 5,
      windowMs: 60_000,
      delayMs: 500,
      maxDelayMs: 30_000,
    });
    const run = supervisor.start({
      name: "mash",
      args: [server],
      env: { PORT: "0", LIVE_MS: "50" },
    });
    await run.ready;
    await until(() => /Restarting mash in 0\.5 s/.test(err()));
    expect(await supervisor.stop()).toEqual([]);
    await new Promise((r) => setTimeout(r, 800));
    expect(out()).not.toMatch(/is back/);
    expect(run.child()).toBeUndefined();
  });

  it("stops a running process with SIGTERM and does not take that for a crash", async () => {
    const { supervisor, err } = supervised();
    const run = supervisor.start({
      name: "education",
      args: [server],
      env: { PORT: "0", LIVE_MS: "60000" },
    });
    await run.ready;
    const child = run.child();
    expect(await supervisor.stop()).toEqual([]);
    expect(child?.signalCode).toBe("SIGTERM");
    expect(err()).toBe("");
  });
});

describe("restart settings", () => {
  it("double the wait per recent restart, up to the most", () => {
    const policy = restartPolicyFrom({});
    expect([0, 1, 2, 3, 4, 10].map((n) => restartDelay(policy, n))).toEqual([
      500, 1000, 2000, 4000, 8000, 30_000,
    ]);
  });

  it.each([
    [{ MASH_RESTART_LIMIT: "many" }, /^MASH_RESTART_LIMIT: "many" is not a whole number$/],
    [{ MASH_RESTART_WINDOW_MS: "10" }, /^MASH_RESTART_WINDOW_MS: "10" is under 1000/],
    [{ MASH_RESTART_DELAY_MS: "60000" }, /^MASH_RESTART_DELAY_MS: "60000" is over 30000/],
  ])("name the setting that is wrong: %o", (env, message) => {
    expect(() => restartPolicyFrom(env)).toThrow(message);
  });
});

describe("a process's last lines", () => {
  it("are kept across chunks and carriage returns, the last 20", () => {
    const tail = new OutputTail();
    tail.add("one\ntw");
    tail.add("o\r\n[police] persons 10%\r[police] persons 100%\n");
    expect(tail.last()).toEqual(["one", "two", "[police] persons 10%", "[police] persons 100%"]);
    for (let i = 0; i < 30; i++) tail.add(`line ${i}\n`);
    tail.add("unfinished");
    expect(tail.last()).toHaveLength(20);
    expect(tail.last().at(-1)).toBe("unfinished");
    expect(tail.last()[0]).toBe("line 11");
  });
});
