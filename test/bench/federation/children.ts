import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { serverNodeFlags } from "../../../scripts/node-flags.ts";

/** What a child prints before its JSON once it serves: log lines (JSON too) may come first. */
export const READY = "BENCH-READY";

const root = fileURLToPath(new URL("../../..", import.meta.url));

export interface Child<T> {
  process: ChildProcess;
  pid: number;
  info: T;
  stop(): Promise<void>;
}

/**
 * Runs `script` (under test/bench/federation) in its own Node process, under tsx unless it is
 * plain JavaScript (`.mjs`), with only `env`'s MASH_* settings (a developer's own must not
 * redirect anything), and waits for its READY line.
 */
export async function startChild<T>(
  script: string,
  args: string[],
  env: Record<string, string>,
): Promise<Child<T>> {
  const inherited: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("MASH_")) inherited[k] = v;
  // MASH_BENCH_PROFILE=<dir> writes a CPU profile of each child there when it stops.
  const profile = process.env.MASH_BENCH_PROFILE
    ? ["--cpu-prof", `--cpu-prof-dir=${process.env.MASH_BENCH_PROFILE}`]
    : [];
  const child = spawn(
    process.execPath,
    [
      ...profile,
      // What npm start gives its servers, bare Apollo's alike: the ratio compares code.
      ...serverNodeFlags(process.env),
      ...(script.endsWith(".mjs") ? [] : ["--import", "tsx"]),
      `test/bench/federation/${script}`,
      ...args,
    ],
    {
      cwd: root,
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...inherited, NODE_ENV: "production", LOG_LEVEL: "warn", ...env },
    },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const info = await new Promise<T>((resolve, reject) => {
    let buffer = "";
    let ready = false;
    child.stdout?.on("data", (d: Buffer) => {
      buffer += d;
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      for (const line of lines) {
        if (!ready && line.startsWith(`${READY} `)) {
          ready = true;
          resolve(JSON.parse(line.slice(READY.length + 1)) as T);
        } else if (line.trim()) {
          // A warning of the child's: keep it visible, but off the report on stdout.
          process.stderr.write(`[${script} ${args.join(" ")}] ${line}\n`);
        }
      }
    });
    child.once("exit", (code) => {
      if (!ready)
        reject(new Error(`${script} ${args.join(" ")} exited (${code}) before it served`));
    });
  });
  return {
    process: child,
    pid: child.pid as number,
    info,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
