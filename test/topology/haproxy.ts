import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { haproxyBinary } from "./services.ts";

export interface Backend {
  name: string;
  port: number;
}

/** What HAProxy's log says of one numbered request. */
export interface Routed {
  server: string;
  status: number;
  /** HAProxy's termination state: `----` for a clean end, `SH--` for a server gone mid-request. */
  termination: string;
  retries: number;
}

export interface RunningHaproxy {
  url: string;
  /** By the load generator's request number (X-Topology-Request), from HAProxy's log. */
  routed(): Map<number, Routed>;
  /** Each server's state as HAProxy's stats say it: UP, DOWN, "UP 1/2" (going down)... */
  states(): Promise<Map<string, string>>;
  /** For each client connection with a request at a gateway now: its port, and which gateway. */
  sessions(): Promise<Map<number, string>>;
  /** Retries and redispatches HAProxy made, over all servers. */
  retries(): Promise<{ retries: number; redispatches: number }>;
  output(): string;
  stop(): Promise<void>;
}

const template = readFileSync(new URL("./haproxy.cfg", import.meta.url), "utf8");

/** haproxy.cfg with this run's ports and stats socket. */
export function haproxyConfig(options: {
  frontendPort: number;
  socket: string;
  backends: Backend[];
}): string {
  const servers = options.backends
    .map((b) => `  server ${b.name} 127.0.0.1:${b.port} check`)
    .join("\n");
  return template
    .replace("{{STATS_SOCKET}}", options.socket)
    .replace("{{FRONTEND_PORT}}", String(options.frontendPort))
    .replace("{{SERVERS}}", servers);
}

/** One command on the stats socket; HAProxy answers and closes. */
function ask(socket: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const conn = connect(socket);
    let answer = "";
    conn.on("connect", () => conn.write(`${command}\n`));
    conn.on("data", (d) => {
      answer += d;
    });
    conn.on("end", () => resolve(answer));
    conn.on("error", reject);
  });
}

/** `show stat` as rows keyed by the CSV header's names. */
async function stats(socket: string): Promise<Record<string, string>[]> {
  const [header, ...lines] = (await ask(socket, "show stat")).trim().split("\n");
  const names = (header ?? "").replace(/^# /, "").split(",");
  return lines.map((line) => {
    const cells = line.split(",");
    return Object.fromEntries(names.map((n, i) => [n, cells[i] ?? ""]));
  });
}

/** HAProxy in the foreground (-db) on a config written to `dir`; ready once its socket answers. */
export async function startHaproxy(
  dir: string,
  frontendPort: number,
  backends: Backend[],
): Promise<RunningHaproxy> {
  const socket = join(dir, "haproxy.sock");
  const file = join(dir, "haproxy.cfg");
  writeFileSync(file, haproxyConfig({ frontendPort, socket, backends }));
  // Into a file, not a pipe: HAProxy drops log lines it cannot write at once, and a pipe to a
  // busy test process fills up just when the kill makes the lines that matter.
  const logFile = join(dir, "haproxy.log");
  const fd = openSync(logFile, "a");
  const child = spawn(haproxyBinary, ["-db", "-f", file], { stdio: ["ignore", fd, fd] });
  closeSync(fd);
  const output = () => readFileSync(logFile, "utf8");
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`haproxy exited at start:\n${output()}`);
    try {
      await ask(socket, "show info");
      break;
    } catch {
      if (Date.now() > deadline)
        throw new Error(`haproxy's stats socket never answered:\n${output()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const servers = async () =>
    (await stats(socket)).filter((r) => r.pxname === "gateways" && r.svname !== "BACKEND");
  return {
    url: `http://127.0.0.1:${frontendPort}`,
    states: async () => new Map((await servers()).map((r) => [r.svname ?? "", r.status ?? ""])),
    sessions: async () => {
      const byPort = new Map<number, string>();
      for (const m of (await ask(socket, "show sess")).matchAll(
        /src=127\.0\.0\.1:(\d+) fe=mash be=gateways srv=(\S+)/g,
      ))
        if (m[2] !== "<none>") byPort.set(Number(m[1]), m[2] as string);
      return byPort;
    },
    retries: async () => {
      const rows = await servers();
      const sum = (k: string) => rows.reduce((n, r) => n + Number(r[k] || 0), 0);
      return { retries: sum("wretr"), redispatches: sum("wredis") };
    },
    routed: () => {
      const byRequest = new Map<number, Routed>();
      for (const match of output().matchAll(
        /^topology-request (\d+) (\S+) (-?\d+) (\S+) \+?(\d+)$/gm,
      )) {
        const [, n, server, status, termination, retries] = match;
        byRequest.set(Number(n), {
          server: server as string,
          status: Number(status),
          termination: termination as string,
          retries: Number(retries),
        });
      }
      return byRequest;
    },
    output: () => output().slice(-20_000),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}
