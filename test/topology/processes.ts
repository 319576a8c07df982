import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../..", import.meta.url));

/** The last this many characters of a process's output are kept, for a failure's message. */
const OUTPUT_KEPT = 20_000;

export interface NodeProcess {
  name: string;
  child: ChildProcess;
  /** What its `ready` message said: the gateway's URL, or the agencies' `name=url,...`. */
  ready: Promise<string>;
  /** Resolves with the signal or exit code once the process has gone. */
  exited: Promise<string>;
  output(): string;
}

/**
 * A TypeScript entry in its own Node process through tsx, as the crash test and `npm start`'s
 * fallback run them, with only the given MASH_* settings (a developer's own must not redirect
 * it). Ready when it sends `{ type: "ready", url }` over IPC, as every entry of ours does.
 */
export function startNode(name: string, entry: string, env: Record<string, string>): NodeProcess {
  const inherited: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !k.startsWith("MASH_")) inherited[k] = v;
  const child = spawn(process.execPath, ["--import", "tsx", entry], {
    cwd: root,
    env: { ...inherited, NODE_ENV: "", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_KEPT);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<string>((resolve) =>
    child.once("exit", (code, signal) => resolve(signal ?? `exit ${code}`)),
  );
  const ready = new Promise<string>((resolve, reject) => {
    child.on("message", (m: { type?: string; url?: string }) => {
      if (m?.type === "ready" && m.url) resolve(m.url);
    });
    void exited.then((how) =>
      reject(new Error(`${name} stopped (${how}) before it was ready:\n${output}`)),
    );
  });
  // Awaited by the caller; a failure meanwhile must not be an unhandled rejection.
  ready.catch(() => {});
  return { name, child, ready, exited, output: () => output };
}

export const isRunning = (p: NodeProcess) =>
  p.child.exitCode === null && p.child.signalCode === null;

/** SIGKILL for whatever is still running: the clean-up of a test that may have failed midway. */
export async function killAll(processes: Iterable<NodeProcess>): Promise<void> {
  const waits: Promise<string>[] = [];
  for (const p of processes) {
    if (!isRunning(p)) continue;
    p.child.kill("SIGKILL");
    waits.push(p.exited);
  }
  await Promise.all(waits);
}
