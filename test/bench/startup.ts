import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

export interface StartupRun {
  /** From spawning `npm start` to the gateway's first 200 on /health. */
  ms: number;
  /** What `npm start` itself printed ("MASH Gateway is ready in N s"), in ms. */
  reportedMs: number | undefined;
}

export interface StartupResult {
  /** The first start, before any timed one: it makes the bundles again if a source changed. */
  first: StartupRun;
  empty: StartupRun[];
  withData: StartupRun[];
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/**
 * A gateway port and seven consecutive subgraph ports, all free now: below Linux's ephemeral
 * range (32768 on), so no outgoing connection of another program takes one meanwhile.
 */
async function freePorts(): Promise<{ gateway: number; base: number }> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const gateway = 20_000 + Math.floor(Math.random() * 12_000);
    const base = gateway + 1;
    const ports = Array.from({ length: 8 }, (_, i) => gateway + i);
    if ((await Promise.all(ports.map(portFree))).every(Boolean)) return { gateway, base };
  }
  throw new Error("no eight consecutive free ports found");
}

/**
 * `npm start` as a user runs it: through npm, the bench's own npm when it runs under one; or
 * another command line (`--startup-command`, to time another tree or the old way the same way).
 */
function npmStart(env: NodeJS.ProcessEnv, commandLine: string | undefined): ChildProcess {
  if (commandLine) {
    return spawn(commandLine, {
      cwd: root,
      env,
      detached: true,
      shell: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
  }
  const npm = process.env.npm_execpath;
  const [command, args] = npm?.endsWith(".js")
    ? [process.execPath, [npm, "start"]]
    : ["npm", ["start"]];
  // Its own process group, so the whole tree (npm, the launcher, eight servers) is stopped at once.
  return spawn(command, args, {
    cwd: root,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

async function stopTree(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const group = -child.pid;
  try {
    process.kill(group, "SIGINT");
  } catch {}
  const timer = setTimeout(() => {
    try {
      process.kill(group, "SIGKILL");
    } catch {}
  }, 20_000);
  await exited;
  clearTimeout(timer);
  // npm may go before its children: whatever is left of the group goes too.
  try {
    process.kill(group, "SIGKILL");
  } catch {}
}

/**
 * One start on `dataDir`; again on other ports if another program took one of these first (an
 * empty directory emptied again, since the failed start may have seeded some stores).
 */
async function startOnce(
  dataDir: string,
  commandLine: string | undefined,
  empty: boolean,
): Promise<StartupRun> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await timedStart(dataDir, commandLine);
    } catch (error) {
      if (attempt >= 3 || !(error as Error).message.includes("EADDRINUSE")) throw error;
      if (empty) {
        rmSync(dataDir, { recursive: true, force: true });
        mkdirSync(dataDir, { recursive: true });
      }
    }
  }
}

/** One start on `dataDir`: timed to the first healthy answer, then stopped. */
async function timedStart(dataDir: string, commandLine: string | undefined): Promise<StartupRun> {
  const ports = await freePorts();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MASH_DATA_DIR: dataDir,
    PORT: String(ports.gateway),
    MASH_SUBGRAPH_BASE_PORT: String(ports.base),
  };
  // The default population (2,000), whatever the bench itself was started with.
  delete env.MASH_SEED_SUBJECTS;
  const started = performance.now();
  const child = npmStart(env, commandLine);
  let output = "";
  child.stdout?.on("data", (d) => {
    output += d;
  });
  child.stderr?.on("data", (d) => {
    output += d;
  });
  try {
    const health = `http://127.0.0.1:${ports.gateway}/health`;
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(`npm start exited (${child.exitCode}):\n${output}`);
      if (performance.now() - started > 120_000)
        throw new Error(`npm start not ready in 120 s:\n${output}`);
      const status = await fetch(health, { signal: AbortSignal.timeout(2000) }).then(
        (r) => r.status,
        () => 0,
      );
      if (status === 200) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const ms = performance.now() - started;
    const reported = /MASH Gateway is ready in ([\d.]+) s/.exec(output)?.[1];
    return { ms, reportedMs: reported === undefined ? undefined : Number(reported) * 1000 };
  } finally {
    await stopTree(child);
  }
}

/**
 * `npm start` to ready, on an empty data directory (which it seeds: 2,000 people in seven stores)
 * and again on the directory that start left, `runs` times each, every run in a fresh temporary
 * data directory on free ports.
 */
export async function benchStartup(runs = 3, commandLine?: string): Promise<StartupResult> {
  const fresh = () => mkdtempSync(join(tmpdir(), "mash-bench-start-"));
  const firstDir = fresh();
  let first: StartupRun;
  try {
    first = await startOnce(firstDir, commandLine, true);
  } finally {
    rmSync(firstDir, { recursive: true, force: true });
  }
  const empty: StartupRun[] = [];
  const withData: StartupRun[] = [];
  for (let i = 0; i < runs; i++) {
    const dir = fresh();
    try {
      empty.push(await startOnce(dir, commandLine, true));
      withData.push(await startOnce(dir, commandLine, false));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return { first, empty, withData };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
