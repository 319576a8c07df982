import { randomBytes } from "node:crypto";
import { testDatabaseUrl } from "@mash/kit/testing";
import pg from "pg";

export interface TopologyDatabase {
  /** `postgres://.../topology_<random>`: every agency's schema, the access log and the policy store. */
  url: string;
  drop(): Promise<void>;
}

async function onServer(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: testDatabaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A database of its own on the test server, so a run shares nothing with other suites or runs
 * and leaves nothing behind: dropped with FORCE, since a gateway killed outright may still hold
 * connections the server has not yet noticed are gone.
 */
export async function createTopologyDatabase(): Promise<TopologyDatabase> {
  const name = `topology_${randomBytes(6).toString("hex")}`;
  await onServer(`create database "${name}"`);
  const url = new URL(testDatabaseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => onServer(`drop database if exists "${name}" with (force)`),
  };
}
