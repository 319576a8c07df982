import { existsSync } from "node:fs";
import { connect as tcpConnect } from "node:net";
import { testDatabaseUrl } from "@mash/kit/testing";
import { connect as natsConnect } from "nats";
import pg from "pg";

export const redisUrl = process.env.MASH_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
export const natsUrl = process.env.MASH_TEST_NATS_URL ?? "nats://127.0.0.1:4222";
/** Debian's package installs it here; `.ci/run` installs it when missing. */
export const haproxyBinary = process.env.MASH_TEST_HAPROXY ?? "/usr/sbin/haproxy";

/** Null when PostgreSQL answers as a user who may create databases, else why not. */
async function postgresProblem(): Promise<string | null> {
  const client = new pg.Client({
    connectionString: testDatabaseUrl,
    connectionTimeoutMillis: 3000,
  });
  try {
    await client.connect();
    const { rows } = await client.query<{ ok: boolean }>(
      "select rolcreatedb or rolsuper as ok from pg_roles where rolname = current_user",
    );
    return rows[0]?.ok ? null : "its user may not create databases";
  } catch (error) {
    return (error as Error).message || String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Redis by its own protocol: PING answered +PONG. The test needs nothing more of it. */
function redisProblem(): Promise<string | null> {
  const url = new URL(redisUrl);
  return new Promise((resolve) => {
    const socket = tcpConnect(Number(url.port || 6379), url.hostname);
    const done = (problem: string | null) => {
      socket.destroy();
      resolve(problem);
    };
    socket.setTimeout(2000, () => done("no answer within 2 s"));
    socket.on("error", (error) => done(error.message));
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (data) =>
      done(data.toString().startsWith("+PONG") ? null : `answered ${data.toString().trim()}`),
    );
  });
}

async function natsProblem(): Promise<string | null> {
  try {
    const nc = await natsConnect({ servers: natsUrl, timeout: 2000 });
    await nc.close();
    return null;
  } catch (error) {
    return (error as Error).message || String(error);
  }
}

/**
 * What the topology needs and is missing, each with why: HAProxy, PostgreSQL, Redis, NATS.
 * Under CI=true a missing one fails the run (`.ci/run` installs and starts them all); elsewhere
 * the suite is skipped saying which is absent, as the other service suites do.
 */
export async function missingServices(): Promise<string[]> {
  const [postgres, redis, nats] = await Promise.all([
    postgresProblem(),
    redisProblem(),
    natsProblem(),
  ]);
  const missing: string[] = [];
  if (!existsSync(haproxyBinary))
    missing.push(`HAProxy (${haproxyBinary} not found; apt-get install haproxy)`);
  if (postgres) missing.push(`PostgreSQL at ${testDatabaseUrl} (${postgres})`);
  if (redis) missing.push(`Redis at ${redisUrl} (${redis})`);
  if (nats) missing.push(`NATS at ${natsUrl} (${nats})`);
  if (missing.length && process.env.CI === "true")
    throw new Error(`CI=true but the topology test needs: ${missing.join("; ")}`);
  if (missing.length)
    process.stderr.write(`Topology test not run: missing ${missing.join("; ")}.\n`);
  return missing;
}
