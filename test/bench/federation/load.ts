import { execFileSync } from "node:child_process";
import { setMaxListeners } from "node:events";
import { readFileSync } from "node:fs";
import { Pool } from "undici";

/** A gateway to load: where, with what headers, and its process, whose CPU and memory we read. */
export interface Target {
  name: string;
  url: string;
  headers: Record<string, string>;
  pid: number;
}

export interface Window {
  /** Answered correctly within the window: req/s counts these. */
  requests: number;
  /** Answered in all, ramp and drain included. */
  answered: number;
  /** Still in flight DRAIN_MS after the window closed, and abandoned. */
  abandoned: number;
  /** Not 200, a transport failure, or an answer of another size than the checked one. */
  errors: number;
  /** What the first error was, for the report. */
  firstError?: string;
  seconds: number;
  rps: number;
  /** Latencies in ms of the requests answered within the window, sorted, for pooling. */
  latencies: number[];
  /** CPU seconds the gateway process used in the window (user + system). */
  cpuSeconds: number;
  /** The same for the shared subgraphs' process. */
  subgraphCpuSeconds: number;
  /** The gateway's largest resident set seen while loaded, bytes. */
  peakRss: number;
}

const ticksPerSecond = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime of a process, in seconds, from /proc/<pid>/stat. */
export function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name may hold spaces; the fields after it do not.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

/** VmRSS of a process, in bytes. */
export function rssOf(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return Number(kb ?? 0) * 1024;
}

export const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

/** The longest the ramp may take before the window opens anyway. */
const MAX_RAMP_MS = 8000;
/**
 * Clients start this far apart. Started together, all of them are answered together (the
 * gateway interleaves every request it holds), and go on in lockstep: answers come in bursts a
 * few seconds apart at 50 connections, and a window counts two bursts or three.
 */
export const STAGGER_MS = 20;
/**
 * How long answers still in flight when a window closes are awaited before they are abandoned:
 * at 50 connections a few of bare's take ten seconds, and waiting for them took most of the run.
 * What an abandoned request still costs its gateway falls in the next window's ramp, unmeasured.
 */
export const DRAIN_MS = 2500;

/**
 * A closed loop: `connections` clients on keep-alive connections, each sending the next request
 * as soon as its answer has been read; they start STAGGER_MS apart. The window opens once there
 * have been as many answers as connections (each busy, on average once round: steady
 * state; waiting for each to have had one would wait for the slowest first answer) and stays
 * open `seconds`; what is answered in it, and the CPU used in it, are the figures. Then no client sends again, and
 * what is still in flight is awaited for up to DRAIN_MS, then abandoned.
 * `expectedBytes`, when given, is the size of the answer the correctness check saw: any other size
 * counts as an error, wherever it falls.
 */
export async function drive(
  target: Target,
  body: string,
  connections: number,
  seconds: number,
  subgraphPid: number,
  expectedBytes?: number,
): Promise<Window> {
  const url = new URL(target.url);
  const pool = new Pool(url.origin, { connections, pipelining: 1, keepAliveTimeout: 30_000 });
  const headers = { "content-type": "application/json", ...target.headers };
  const latencies: number[] = [];
  let errors = 0;
  let answered = 0;
  let firstError: string | undefined;
  const failed = (why: string) => {
    errors++;
    firstError ??= why;
  };
  let peakRss = rssOf(target.pid);
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, rssOf(target.pid));
  }, 200);

  let opened: number | undefined;
  let closed: number | undefined;
  let stopped = false;
  let inFlight = 0;
  let abandoned = 0;
  const abandon = new AbortController();
  // Every request in flight listens on it: that is no leak, however many connections.
  setMaxListeners(connections + 10, abandon.signal);
  let rampAnswers = 0;
  let open: () => void = () => {};
  const rampDone = new Promise<void>((resolve) => {
    open = resolve;
  });
  /** One request; true when it was answered with the checked answer. Throws once abandoned. */
  const send = async (): Promise<boolean> => {
    inFlight++;
    try {
      const response = await pool.request({
        path: url.pathname,
        method: "POST",
        headers,
        body,
        signal: abandon.signal,
      });
      const chunks: Buffer[] = [];
      for await (const chunk of response.body) chunks.push(chunk as Buffer);
      const bytes = chunks.reduce((n, c) => n + c.length, 0);
      answered++;
      if (response.statusCode === 200 && (expectedBytes === undefined || bytes === expectedBytes))
        return true;
      failed(
        `HTTP ${response.statusCode}, ${bytes} bytes (the checked answer has ${expectedBytes}): ${Buffer.concat(chunks).toString("utf8").slice(0, 400)}`,
      );
      return false;
    } catch (error) {
      if (abandon.signal.aborted) throw error;
      failed((error as Error).message);
      return false;
    } finally {
      inFlight--;
    }
  };
  const client = async (index: number) => {
    await new Promise((resolve) => setTimeout(resolve, index * STAGGER_MS));
    while (!stopped) {
      const sent = performance.now();
      let ok: boolean;
      try {
        ok = await send();
      } catch {
        return;
      }
      const now = performance.now();
      if (ok && opened !== undefined && closed === undefined && now >= opened)
        latencies.push(now - sent);
      if (++rampAnswers === connections) open();
    }
  };
  const clients = Promise.all(Array.from({ length: connections }, (_, i) => client(i)));
  await Promise.race([rampDone, new Promise((resolve) => setTimeout(resolve, MAX_RAMP_MS))]);
  const cpu0 = cpuSecondsOf(target.pid);
  const sub0 = cpuSecondsOf(subgraphPid);
  opened = performance.now();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  closed = performance.now();
  const cpuSeconds = cpuSecondsOf(target.pid) - cpu0;
  const subgraphCpuSeconds = cpuSecondsOf(subgraphPid) - sub0;
  stopped = true;
  const drained = await Promise.race([
    clients.then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), DRAIN_MS)),
  ]);
  if (!drained) {
    abandoned = inFlight;
    abandon.abort();
    await clients;
  }
  clearInterval(sampler);
  await pool.close();
  const elapsed = (closed - opened) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    answered,
    abandoned,
    errors,
    firstError,
    seconds: elapsed,
    rps: latencies.length / elapsed,
    latencies,
    cpuSeconds,
    subgraphCpuSeconds,
    peakRss,
  };
}
