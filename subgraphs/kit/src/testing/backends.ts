import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { StoreConfig } from "../config.ts";

/** The PostgreSQL that store tests use; the machine's local server by default. */
export const testDatabaseUrl =
  process.env.MASH_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

let reachable: Promise<string | null> | undefined;

/** Null when PostgreSQL answers, else why not. Asked once per test process. */
function postgresProblem(): Promise<string | null> {
  reachable ??= (async () => {
    const client = new pg.Client({
      connectionString: testDatabaseUrl,
      connectionTimeoutMillis: 3000,
    });
    try {
      await client.connect();
      await client.query("select 1");
      return null;
    } catch (error) {
      return (error as Error).message || String(error);
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return reachable;
}

export type Backend = "sqlite" | "postgres";

export interface BackendInfo {
  backend: Backend;
  /** Why this backend's suites cannot run here; undefined when they can. */
  unavailable?: string;
}

/**
 * The store backends a suite runs on. SQLite always; PostgreSQL when it answers. In CI
 * (`CI=true`) an unreachable PostgreSQL fails the run instead of quietly skipping its suites.
 */
export async function storeBackends(): Promise<BackendInfo[]> {
  const problem = await postgresProblem();
  if (problem && process.env.CI === "true") {
    throw new Error(`CI=true but PostgreSQL at ${testDatabaseUrl} is not reachable: ${problem}`);
  }
  if (problem) {
    process.stderr.write(
      `PostgreSQL suites not run: ${testDatabaseUrl} is not reachable (${problem}). Set MASH_TEST_DATABASE_URL to run them.\n`,
    );
  }
  return [
    { backend: "sqlite" },
    { backend: "postgres", ...(problem ? { unavailable: problem } : {}) },
  ];
}

export interface TempStores {
  /** A store configuration for an agency, isolated from every other test run. */
  configFor(agency: string): StoreConfig;
  /** The same isolation as environment variables, for code that reads its own configuration. */
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

/** Fresh, private stores for one test: a temp directory, or a schema prefix on PostgreSQL. */
export function tempStores(backend: Backend): TempStores {
  if (backend === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "mash-test-"));
    return {
      configFor: (agency) => ({ kind: "sqlite", file: join(dir, `${agency}.sqlite`) }),
      env: { MASH_DATA_DIR: dir },
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const prefix = `t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}_`;
  const schemas = new Set<string>();
  return {
    configFor: (agency) => {
      const schema = `${prefix}${agency.replace(/-/g, "_")}`;
      schemas.add(schema);
      return { kind: "postgres", url: testDatabaseUrl, schema };
    },
    env: { MASH_DATABASE_URL: testDatabaseUrl, MASH_DATABASE_SCHEMA_PREFIX: prefix },
    cleanup: async () => {
      const client = new pg.Client({ connectionString: testDatabaseUrl });
      await client.connect();
      try {
        const { rows } = await client.query<{ nspname: string }>(
          "select nspname from pg_namespace where nspname like $1",
          [`${prefix}%`],
        );
        for (const { nspname } of rows) await client.query(`drop schema "${nspname}" cascade`);
      } finally {
        await client.end();
      }
    },
  };
}
