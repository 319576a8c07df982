import { type ChildProcess, spawn } from "node:child_process";
import { describeTail, OutputTail } from "./output-tail.ts";
import { type RestartPolicy, restartDelay, seconds } from "./restart-policy.ts";

/** One server process: how to start it, and what changes when it is started again. */
export interface ProcessSpec {
  name: string;
  /** Node's arguments: the entry, and what runs it. */
  args: string[];
  env: Record<string, string>;
  /**
   * What a restart changes in `env`, from the URL the process was first ready at: its port, so
   * that a port the system picked stays the one everyone else was told.
   */
  restartEnv?: (url: string) => Record<string, string>;
  /** Each time it is spawned, before it is ready: a restart may need handing its inputs again. */
  onSpawn?: (child: ChildProcess, restart: boolean) => void;
  /** What being down means for the rest, said when its restarts are given up. */
  whenDown?: string;
}

export interface Supervised {
  name: string;
  /** The URL it is first ready at; rejects, naming why and with its last lines, if it stops first. */
  ready: Promise<string>;
  /** The process running now, if any (between a crash and its restart there is none). */
  child(): ChildProcess | undefined;
}

export interface SupervisorOptions {
  cwd: string;
  /** The environment every process starts from; each spec's own `env` is laid over it. */
  env: NodeJS.ProcessEnv;
  policy: RestartPolicy;
  /** Where the processes' output passes through to, and where crashes are reported. */
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

interface Ready {
  type: "ready";
  url: string;
}

const how = (code: number | null, signal: NodeJS.Signals | null) =>
  signal ? `killed by ${signal}` : `exit code ${code}`;

/**
 * Starts server processes and keeps them running: a process that dies after it was ready is
 * reported at once (which, how, its last lines) and started again after a wait that doubles
 * with each restart, until too many within the window; the others keep running meanwhile. One
 * that dies before it was ever ready is not restarted: its `ready` rejects, for the caller to
 * stop the start. Once `stop` is called nothing is restarted.
 */
export class Supervisor {
  private readonly running = new Map<string, ChildProcess>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopping = false;
  private readonly stdout: NodeJS.WritableStream;
  private readonly stderr: NodeJS.WritableStream;

  constructor(private readonly options: SupervisorOptions) {
    this.stdout = options.stdout ?? process.stdout;
    this.stderr = options.stderr ?? process.stderr;
  }

  start(spec: ProcessSpec): Supervised {
    let firstUrl: string | undefined;
    const restarts: number[] = [];
    let settle: { resolve(url: string): void; reject(error: Error): void } | undefined;
    const ready = new Promise<string>((resolve, reject) => {
      settle = { resolve, reject };
    });
    // Awaited later (the gateway's after the subgraphs'); a failure meanwhile must not go unheard.
    ready.catch(() => {});

    const launch = (restart: boolean) => {
      const env = {
        LOG_LEVEL: "warn",
        ...this.options.env,
        ...spec.env,
        ...(restart && firstUrl && spec.restartEnv ? spec.restartEnv(firstUrl) : {}),
      };
      const child = spawn(process.execPath, spec.args, {
        cwd: this.options.cwd,
        env,
        stdio: ["ignore", "pipe", "pipe", "ipc"],
      });
      this.running.set(spec.name, child);
      const tail = new OutputTail();
      this.passThrough(child.stdout, this.stdout, tail);
      this.passThrough(child.stderr, this.stderr, tail);
      child.on("message", (message: Ready) => {
        if (message?.type !== "ready") return;
        if (firstUrl === undefined) {
          firstUrl = message.url;
          settle?.resolve(message.url);
        } else {
          this.stdout.write(`${spec.name} is back (pid ${child.pid}): ${message.url}\n`);
        }
      });
      let ended = false;
      const onEnd = (code: number | null, signal: NodeJS.Signals | null) => {
        if (ended) return;
        ended = true;
        if (this.running.get(spec.name) === child) this.running.delete(spec.name);
        if (this.stopping) return;
        const lines = describeTail(spec.name, tail.last());
        if (firstUrl === undefined) {
          settle?.reject(
            new Error(`${spec.name} stopped before it was ready (${how(code, signal)}).\n${lines}`),
          );
          return;
        }
        this.stderr.write(
          `\n${spec.name} (pid ${child.pid}) stopped unexpectedly: ${how(code, signal)}.\n${lines}\n`,
        );
        this.restartOrGiveUp(spec, restarts, () => launch(true));
      };
      // "close" comes once its output has been read to the end, so the last lines are complete.
      child.on("close", onEnd);
      child.on("error", (error) => {
        this.stderr.write(`${spec.name}: ${error.message}\n`);
        // Only a process that could not be spawned at all ends here; others end with "close".
        if (child.pid === undefined) onEnd(null, null);
      });
      spec.onSpawn?.(child, restart);
    };
    launch(false);
    return { name: spec.name, ready, child: () => this.running.get(spec.name) };
  }

  private restartOrGiveUp(spec: ProcessSpec, restarts: number[], restart: () => void): void {
    const { policy } = this.options;
    const now = Date.now();
    while (restarts.length && now - (restarts[0] as number) >= policy.windowMs) restarts.shift();
    if (restarts.length >= policy.limit) {
      const times =
        policy.limit === 0
          ? "MASH_RESTART_LIMIT is 0"
          : `it was restarted ${restarts.length} time(s) within ${seconds(policy.windowMs)} and stopped again (MASH_RESTART_LIMIT=${policy.limit}, MASH_RESTART_WINDOW_MS=${policy.windowMs})`;
      this.stderr.write(
        `${spec.name} is not restarted again: ${times}. The other processes keep running${spec.whenDown ? `; ${spec.whenDown}` : ""}. Fix the cause (its last lines are above), then stop with Ctrl-C and run npm start again.\n`,
      );
      return;
    }
    const delay = restartDelay(policy, restarts.length);
    restarts.push(now);
    this.stderr.write(
      `Restarting ${spec.name} in ${seconds(delay)} (restart ${restarts.length} of at most ${policy.limit} within ${seconds(policy.windowMs)}).\n`,
    );
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopping) restart();
    }, delay);
    this.timers.add(timer);
  }

  /** Output reaches the terminal as it comes; the tail keeps the last lines of it. */
  private passThrough(
    from: NodeJS.ReadableStream | null,
    to: NodeJS.WritableStream,
    tail: OutputTail,
  ): void {
    // Decoded by the stream, so a character split between two chunks stays whole.
    from?.setEncoding("utf8");
    from?.on("data", (chunk: string) => {
      tail.add(chunk);
      to.write(chunk);
    });
  }

  /**
   * Stops every process and restarts none: SIGTERM, then SIGKILL for any still running after
   * 15 s (longer than the servers' own 10 s drain, so a clean stop is never cut short).
   * Resolves with the names of those that had to be killed.
   */
  async stop(): Promise<string[]> {
    this.stopping = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const killed: string[] = [];
    await Promise.all(
      [...this.running].map(
        ([name, child]) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once("exit", () => resolve());
            child.kill("SIGTERM");
            setTimeout(() => {
              killed.push(name);
              child.kill("SIGKILL");
            }, 15_000).unref();
          }),
      ),
    );
    return killed;
  }
}
