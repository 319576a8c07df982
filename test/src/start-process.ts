import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../..", import.meta.url));
export const startScript = "scripts/start.mjs";
/** Long enough to bundle the servers when a source changed (~20 s here), short of the time-out. */
export const READY_MS = 45_000;

/** `npm start` as a user runs it, with the output and process tree a test needs to look at. */
export interface Launcher {
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr as they came. */
  output(): string;
  /** The next match of `pattern` in what it prints from `since` (an `output().length`) on. */
  waitFor(pattern: RegExp, options?: { since?: number; ms?: number }): Promise<RegExpExecArray>;
  /** The gateway's URL once every process is ready. */
  ready(): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The server processes it runs now: gateway and agencies by name, with their pids. */
  servers(): Map<string, number>;
  /**
   * Whether any process of its group still runs after `ms`: it, a server, anything they started
   * (esbuild's service, when it bundled, goes a moment after the launcher).
   */
  anyRunning(ms?: number): Promise<boolean>;
  /** Stops it and every server, whatever state they are in (its own process group). */
  kill(): void;
}

/**
 * Runs `node scripts/start.mjs` with `env` over the test's environment: NODE_ENV cleared (vitest
 * sets it to test, which changes Apollo's signal handling), in a process group of its own.
 */
export function launch(env: Record<string, string>, command: string[] = []): Launcher {
  const [file, ...args] = [...command, process.execPath, startScript];
  const child = spawn(file as string, args, {
    cwd: root,
    env: { ...process.env, NODE_ENV: "", ...env },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    detached: true,
  });
  let output = "";
  const listeners = new Set<() => void>();
  const add = (d: Buffer) => {
    output += d;
    for (const listener of listeners) listener();
  };
  child.stdout?.on("data", add);
  child.stderr?.on("data", add);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  const readyUrl = new Promise<string>((resolve, reject) => {
    child.on("message", (m: { type?: string; url?: string }) => {
      if (m.type === "ready" && m.url) resolve(m.url);
    });
    void exited.then(({ code }) =>
      reject(new Error(`npm start exited (${code}) before it was ready:\n${output}`)),
    );
  });
  readyUrl.catch(() => {});
  return {
    child,
    output: () => output,
    exited,
    waitFor(pattern, { since = 0, ms = 20_000 } = {}) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = new RegExp(pattern.source, pattern.flags).exec(output.slice(since));
          if (!found) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(
            new Error(`no ${pattern} in ${ms} ms; npm start printed:\n${output.slice(since)}`),
          );
        }, ms);
        listeners.add(check);
        check();
      });
    },
    ready: () =>
      Promise.race([
        readyUrl,
        new Promise<never>((_, reject) =>
          setTimeout(
            () => reject(new Error(`npm start was not ready in ${READY_MS} ms:\n${output}`)),
            READY_MS,
          ).unref(),
        ),
      ]),
    servers() {
      const servers = new Map<string, number>();
      if (child.pid === undefined) return servers;
      let listing = "";
      try {
        listing = execFileSync("ps", ["-o", "pid=,args=", "--ppid", String(child.pid)], {
          encoding: "utf8",
        });
      } catch {
        // ps exits 1 when the launcher has no children.
      }
      for (const line of listing.split("\n")) {
        const [, pid, args = ""] = /^\s*(\d+)\s+(.*)$/.exec(line) ?? [];
        const name =
          /agency-([a-z-]+)\.mjs$/.exec(args)?.[1] ??
          /subgraphs\/([a-z-]+)\/src\/main\.ts$/.exec(args)?.[1] ??
          (/(\/gateway\.mjs|gateway\/src\/main\.ts)$/.test(args) ? "gateway" : undefined);
        if (name && pid) servers.set(name, Number(pid));
      }
      return servers;
    },
    async anyRunning(ms = 3000) {
      const group = child.pid;
      if (group === undefined) return false;
      const running = () => {
        try {
          process.kill(-group, 0);
          return true;
        } catch {
          return false;
        }
      };
      const until = Date.now() + ms;
      while (running() && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      return running();
    },
    kill() {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // The group has already gone: every process stopped.
      }
    },
  };
}

/** `npm run --silent token -- <user>`, as the README tells a developer. */
export function devToken(user: string, dataDir: string): string {
  return execFileSync(
    process.execPath,
    ["--import", "tsx", "gateway/src/identity/token-cli.ts", user],
    { cwd: root, env: { ...process.env, MASH_DATA_DIR: dataDir }, encoding: "utf8" },
  ).trim();
}

/** Whether a process of this id still runs. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
