import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type AuditRecord, openAuditStore, verifyChain } from "@mash/gateway";
import type { StoreConfig } from "@mash/kit";
import { type Backend, storeBackends, tempStores } from "@mash/kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectOperation } from "./contract.ts";
import { startSystem, type TestSystem } from "./system.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** Acknowledged answers to collect before the kill, and a bound on requests if they never come. */
const ACKNOWLEDGED_BEFORE_KILL = 300;
const MAX_REQUESTS = 3000;
const CONCURRENCY = 16;
// A gateway process started through tsx, then a few hundred requests: about a minute on a busy
// two-core machine. A bound on a hang, not a performance expectation.
const CRASH_TEST_TIMEOUT = 240_000;

const postgres = (await storeBackends()).find((b) => b.backend === "postgres");

/**
 * The access log's promise under a crash: a response is sent only once its record is stored, so
 * the gateway process killed outright (SIGKILL: no shutdown, no flush) mid-load must leave a record
 * for every answer a client received, none twice, and a chain that still verifies.
 */
describe("the access log when the gateway is killed under load", () => {
  let system: TestSystem;
  const query = projectOperation("SubjectOverview");
  beforeAll(async () => {
    system = await startSystem({ subjects: 20 });
  });
  afterAll(async () => {
    await system?.stop();
  });

  /** The gateway as `npm start` runs it, in its own process, with the log where `audit` says. */
  const spawnGateway = async (audit: Record<string, string>) => {
    const env: Record<string, string | undefined> = {};
    // Only this test's settings: a developer's MASH_* environment must not redirect the gateway.
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("MASH_")) env[k] = v;
    const child = spawn(process.execPath, ["--import", "tsx", "gateway/src/main.ts"], {
      cwd: root,
      env: {
        ...env,
        NODE_ENV: "",
        LOG_LEVEL: "warn",
        PORT: "0",
        HOST: "127.0.0.1",
        // The system's data directory: its development keys sign the tokens and the contexts
        // the subgraphs trust.
        MASH_DATA_DIR: system.identity.dataDir,
        MASH_SUBGRAPH_URLS: system.subgraphs.map((s) => `${s.name}=${s.url}`).join(","),
        MASH_RATE_LIMIT_PER_MINUTE: "1000000",
        MASH_RATE_LIMIT_BURST: "1000000",
        ...audit,
      },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    let output = "";
    child.stdout?.on("data", (d) => {
      output += d;
    });
    child.stderr?.on("data", (d) => {
      output += d;
    });
    const url = await new Promise<string>((resolve, reject) => {
      child.on(
        "message",
        (m: { type?: string; url?: string }) => m.type === "ready" && m.url && resolve(m.url),
      );
      child.on("exit", (code, signal) =>
        reject(new Error(`gateway exited (${code ?? signal}) before it was ready:\n${output}`)),
      );
    });
    return { child, url, output: () => output };
  };

  /**
   * Keeps CONCURRENCY requests in flight and kills the gateway when enough were answered. Each
   * request has its own operation name, which the log records, so every record can be matched
   * to the request that caused it even when its answer never arrived.
   */
  const loadThenKill = async (child: ChildProcess, url: string) => {
    const headers = {
      "content-type": "application/json",
      ...(await system.headersFor({ as: "sw.patel", enquiry: "ENQ-2001" })),
    };
    const acknowledged = new Map<number, string>();
    const inFlight = new Set<number>();
    const settledUnacknowledged = new Set<number>();
    let inFlightAtKill: Set<number> | undefined;
    let sent = 0;
    const kill = () => {
      if (inFlightAtKill) return;
      inFlightAtKill = new Set(inFlight);
      process.kill(child.pid as number, "SIGKILL");
    };
    const one = async (n: number) => {
      const response = await fetch(url, {
        method: "POST",
        headers,
        body: JSON.stringify({
          query: query.replace("query SubjectOverview", `query SubjectOverview_${n}`),
          variables: { id: `S-10${String((n % 20) + 1).padStart(2, "0")}` },
        }),
      });
      const body = (await response.json()) as { data?: unknown };
      const requestId = response.headers.get("x-request-id");
      return response.status === 200 && body.data && requestId ? requestId : undefined;
    };
    const worker = async () => {
      while (!inFlightAtKill && sent < MAX_REQUESTS) {
        const n = sent++;
        inFlight.add(n);
        const requestId = await one(n).catch(() => undefined);
        inFlight.delete(n);
        if (requestId) acknowledged.set(n, requestId);
        else settledUnacknowledged.add(n);
        if (acknowledged.size >= ACKNOWLEDGED_BEFORE_KILL) kill();
      }
    };
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once("exit", (_, signal) => resolve(signal)),
    );
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    kill();
    return {
      acknowledged,
      inFlightAtKill: inFlightAtKill ?? new Set(),
      sent,
      signal: await exited,
    };
  };

  const crashAndCheck = async (
    backend: Backend,
    config: StoreConfig,
    env: Record<string, string>,
  ) => {
    const gateway = await spawnGateway(env);
    try {
      const run = await loadThenKill(gateway.child, gateway.url);
      expect(run.signal).toBe("SIGKILL");
      expect(run.acknowledged.size).toBeGreaterThanOrEqual(ACKNOWLEDGED_BEFORE_KILL);
      expect(run.inFlightAtKill.size).toBeGreaterThan(0);

      const log = await openAuditStore(config);
      try {
        const rows = await log.rows();
        const records = rows.map((r) => JSON.parse(r.body) as AuditRecord);
        const requestOf = (r: AuditRecord) =>
          Number(/^SubjectOverview_(\d+)$/.exec(r.operationName ?? "")?.[1] ?? Number.NaN);

        // Every record is one request this test sent, and no request or request id twice.
        expect(records.map(requestOf).every((n) => Number.isInteger(n) && n < run.sent)).toBe(true);
        expect(new Set(records.map(requestOf)).size).toBe(records.length);
        expect(new Set(records.map((r) => r.requestId)).size).toBe(records.length);
        // Every answer a client received has its record: the one with the id it was given.
        const byRequest = new Map(records.map((r) => [requestOf(r), r.requestId]));
        const missing = [...run.acknowledged].filter(([n, id]) => byRequest.get(n) !== id);
        expect(missing).toEqual([]);
        // A record without an answer can only be a request the kill cut off.
        const unacknowledged = records.filter((r) => !run.acknowledged.has(requestOf(r)));
        expect(unacknowledged.filter((r) => !run.inFlightAtKill.has(requestOf(r)))).toEqual([]);
        expect(verifyChain(rows)).toEqual({ ok: true, records: rows.length });
        process.stdout.write(
          `audit crash test (${backend}): ${run.acknowledged.size} acknowledged, ${records.length} records in the log, ${run.inFlightAtKill.size} in flight at SIGKILL, ${unacknowledged.length} records for unacknowledged requests (${run.sent} requests sent)\n`,
        );
      } finally {
        await log.close();
      }
    } finally {
      if (gateway.child.exitCode === null && gateway.child.signalCode === null) {
        gateway.child.kill("SIGKILL");
      }
    }
  };

  it(
    "on SQLite: loses no acknowledged record, duplicates none, and the chain verifies",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "mash-audit-crash-"));
      try {
        const file = join(dir, "audit.sqlite");
        await crashAndCheck("sqlite", { kind: "sqlite", file }, { MASH_AUDIT_FILE: file });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    CRASH_TEST_TIMEOUT,
  );

  it.skipIf(postgres?.unavailable)(
    "on PostgreSQL: loses no acknowledged record, duplicates none, and the chain verifies",
    async () => {
      const temp = tempStores("postgres");
      try {
        const config = temp.configFor("audit");
        if (config.kind !== "postgres") throw new Error("expected a PostgreSQL store");
        await crashAndCheck("postgres", config, {
          MASH_AUDIT_DATABASE_URL: config.url,
          MASH_AUDIT_DATABASE_SCHEMA_PREFIX: config.schema.replace(/audit$/, ""),
        });
      } finally {
        await temp.cleanup();
      }
    },
    CRASH_TEST_TIMEOUT,
  );
});
