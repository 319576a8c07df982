import { spawnSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { StoreConfig } from "@mash/kit";
import { storeBackends, type TempStores, tempStores } from "@mash/kit/testing";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PRIVATE_KEY_FILE, PUBLIC_KEY_FILE } from "./checkpoint-keys.ts";
import { runPurgeCommand } from "./purge-command.ts";
import { type AuditEntry, type AuditRecord, canonicalJson } from "./record.ts";
import { type AuditStore, openAuditStore } from "./store.ts";
import { checkpointVerifier, verifyChain } from "./verify.ts";

const root = fileURLToPath(new URL("../../..", import.meta.url));

const pair = () => {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return {
    privatePem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
};

/** Record n is written at 00:00:n on 1 January 2026, so dates and sequence numbers line up. */
const entry = (n: number): AuditEntry => ({
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
  requestId: `req-${n}`,
  userId: `user-${n % 3}`,
  agency: "police",
  roles: ["police-officer"],
  enquiryId: "ENQ-2001",
  breakGlassReason: null,
  operationName: "SubjectOverview",
  queryHash: "a".repeat(64),
  subjects: ["S-1003"],
  released: [{ field: "Intelligence.summary", agency: "police" }],
  withheld: [],
  outcome: "ok",
});

/** How the command finds this store: --file for SQLite, the gateway's settings for PostgreSQL. */
function target(config: StoreConfig): { args: string[]; env: Record<string, string> } {
  if (config.kind === "sqlite") return { args: ["--file", config.file], env: {} };
  return {
    args: [],
    env: {
      MASH_AUDIT_DATABASE_URL: config.url,
      MASH_AUDIT_DATABASE_SCHEMA_PREFIX: config.schema.replace(/audit$/, ""),
    },
  };
}

for (const { backend, unavailable } of await storeBackends()) {
  describe.skipIf(unavailable)(`audit:purge on ${backend}`, () => {
    let temp: TempStores;
    let config: StoreConfig;
    let log: AuditStore;
    const keys = pair();

    beforeEach(async () => {
      temp = tempStores(backend);
      config = temp.configFor("audit");
      log = await openAuditStore(config);
      for (let n = 1; n <= 10; n++) await log.append(entry(n));
    });
    afterEach(async () => {
      await log.close();
      await temp.cleanup();
    });

    const run = (args: string[], env: Record<string, string> = {}) => {
      const where = target(config);
      return runPurgeCommand([...where.args, ...args], {
        MASH_AUDIT_CHECKPOINT_PRIVATE_KEY: keys.privatePem,
        ...where.env,
        ...env,
      });
    };
    const seqs = async () => (await log.rows()).map((r) => r.seq);
    const verify = async (publicPem = keys.publicPem) =>
      verifyChain(await log.rows(), {
        checkpoint: await log.checkpoint(),
        verifySignature: checkpointVerifier(publicPem),
      });

    it("purges records older than a time, keeps the one at the cut, and the chain verifies", async () => {
      const outcome = await run(["--before", "2026-01-01T00:00:05Z"]);
      expect(outcome.exitCode).toBe(0);
      expect(outcome.message).toMatch(/Purged 4 access-log records \(1 to 4\)/);
      expect(outcome.message).toMatch(/Checkpoint at seq 4/);
      expect(await seqs()).toEqual([5, 6, 7, 8, 9, 10]);
      expect((await log.checkpoint())?.seq).toBe(4);
      expect(await verify()).toEqual({ ok: true, records: 6 });
      // Another key cannot vouch for the cut: the purge then reads as removal.
      expect(await verify(pair().publicPem)).toMatchObject({
        ok: false,
        problem: { kind: "removed" },
      });
      // The gateway's next records go on from the purged chain and still verify.
      await log.append(entry(11));
      await log.append(entry(12));
      expect(await verify()).toEqual({ ok: true, records: 8 });
    });

    it("reads --before in any zone as the same instant", async () => {
      const outcome = await run(["--before", "2026-01-01T01:00:03+01:00"]);
      expect(outcome).toMatchObject({ exitCode: 0 });
      expect(await seqs()).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
    });

    it("purges through a sequence number, twice, and a log purged whole goes on verifying", async () => {
      expect(await run(["--through", "6"])).toMatchObject({
        exitCode: 0,
        message: expect.stringMatching(/Purged 6 access-log records \(1 to 6\).*seq 6/),
      });
      expect(await seqs()).toEqual([7, 8, 9, 10]);
      expect(await verify()).toEqual({ ok: true, records: 4 });
      expect(await run(["--through", "10"])).toMatchObject({
        exitCode: 0,
        message: expect.stringMatching(/Purged 4 access-log records \(7 to 10\)/),
      });
      expect(await seqs()).toEqual([]);
      expect(await verify()).toEqual({ ok: true, records: 0 });
      await log.append(entry(11));
      expect(await seqs()).toEqual([11]);
      expect(await verify()).toEqual({ ok: true, records: 1 });
    });

    it("finds nothing to purge before the first record, and removes nothing", async () => {
      const outcome = await run(["--before", "2025-12-31"]);
      expect(outcome).toMatchObject({ exitCode: 0, message: expect.stringMatching(/0 records/) });
      expect(await seqs()).toHaveLength(10);
      expect(await log.checkpoint()).toBeUndefined();
    });

    it("fails verification when a checkpoint was moved to hide more records", async () => {
      await run(["--through", "4"]);
      const rows = await log.rows();
      const checkpoint = await log.checkpoint();
      if (!checkpoint) throw new Error("no checkpoint");
      // Someone with database access moves the cut to 6 and drops 5 and 6, keeping the signature.
      const six = rows.find((r) => r.seq === 6);
      const moved = canonicalJson({ ...JSON.parse(checkpoint.body), seq: 6, hash: six?.hash });
      await log.store.db
        .updateTable("audit_checkpoint")
        .set({ seq: 6, body: moved })
        .where("seq", "=", 4)
        .execute();
      await log.store.db.deleteFrom("audit_log").where("seq", "<=", 6).execute();
      expect(await verify()).toMatchObject({ ok: false, problem: { kind: "removed" } });
      // Nor will the command purge over it: that would sign over the forgery.
      const outcome = await run(["--through", "8"]);
      expect(outcome).toMatchObject({
        exitCode: 1,
        message: expect.stringMatching(/does not verify/),
      });
      expect(await seqs()).toEqual([7, 8, 9, 10]);
    });

    it("refuses a date purge steered by an edited time column beside the chain", async () => {
      // The store's time column is a copy the chain does not cover; backdate the newest record's.
      await sql`update audit_log set at = ${"2025-06-01T00:00:00.000Z"} where seq = 10`.execute(
        log.store.db,
      );
      const outcome = await run(["--before", "2026-01-01T00:00:03Z"]);
      expect(outcome).toMatchObject({
        exitCode: 1,
        message: expect.stringMatching(
          /puts the last record before .* at 10, but the chained records put it at 2/,
        ),
      });
      expect(await seqs()).toHaveLength(10);
      expect(await log.checkpoint()).toBeUndefined();
    });

    it("refuses to purge a log that was altered, and deletes nothing", async () => {
      const row = (await log.rows())[2];
      const body = { ...(JSON.parse(row?.body ?? "") as AuditRecord), userId: "someone-else" };
      await log.store.db
        .updateTable("audit_log")
        .set({ body: canonicalJson(body) })
        .where("seq", "=", 3)
        .execute();
      const outcome = await run(["--before", "2026-01-01T00:00:08Z"]);
      expect(outcome).toMatchObject({
        exitCode: 1,
        message: expect.stringMatching(/record 3 changed.*Nothing was purged/),
      });
      expect(await seqs()).toHaveLength(10);
      expect(await log.checkpoint()).toBeUndefined();
    });

    it.each([
      [
        "no key",
        ["--through", "3"],
        { MASH_AUDIT_CHECKPOINT_PRIVATE_KEY: "" },
        /MASH_AUDIT_CHECKPOINT_PRIVATE_KEY is not set/,
      ],
      [
        "a key file that is not there",
        ["--through", "3"],
        { MASH_AUDIT_CHECKPOINT_PRIVATE_KEY: "/nonexistent/audit.key" },
        /neither PEM text nor a readable file/,
      ],
      [
        "a key that is not Ed25519",
        ["--through", "3"],
        {
          MASH_AUDIT_CHECKPOINT_PRIVATE_KEY: generateKeyPairSync("ed448")
            .privateKey.export({ type: "pkcs8", format: "pem" })
            .toString(),
        },
        /ed448 key/,
      ],
      [
        "an unparseable date",
        ["--before", "last tuesday"],
        {},
        /--before "last tuesday" is not an ISO 8601 time/,
      ],
      ["an impossible date", ["--before", "2026-13-45T00:00:00Z"], {}, /is not an ISO 8601 time/],
      ["a time without its zone", ["--before", "2026-01-01T00:00:05"], {}, /needs its zone/],
      [
        "a public key that is not one",
        ["--through", "3"],
        {
          MASH_AUDIT_CHECKPOINT_PUBLIC_KEY:
            "-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----",
        },
        /MASH_AUDIT_CHECKPOINT_PUBLIC_KEY does not hold a public key/,
      ],
      [
        "a sequence number beyond the log",
        ["--through", "11"],
        {},
        /--through 11 is beyond the log, whose last record is 10/,
      ],
      [
        "a sequence number that is not one",
        ["--through", "4.5"],
        {},
        /is not a record sequence number/,
      ],
      ["neither --before nor --through", [], {}, /--before <time> or --through <seq>/],
      ["both --before and --through", ["--through", "3", "--before", "2026-01-01"], {}, /not both/],
      ["an unknown option", ["--through", "3", "--force"], {}, /Unknown option '--force'/],
    ] as const)(
      "refuses %s with exit 2 and leaves every record in place",
      async (_, args, env, message) => {
        const outcome = await run([...args], env);
        expect(outcome.exitCode).toBe(2);
        expect(outcome.message).toMatch(message);
        expect(await seqs()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        expect(await log.checkpoint()).toBeUndefined();
        expect(await verify()).toEqual({ ok: true, records: 10 });
      },
    );

    it("rotates keys: checks the old cut with the old public key, signs the new with the new", async () => {
      await run(["--through", "3"]);
      const next = pair();
      const outcome = await run(["--through", "6"], {
        MASH_AUDIT_CHECKPOINT_PRIVATE_KEY: next.privatePem,
        MASH_AUDIT_CHECKPOINT_PUBLIC_KEY: keys.publicPem,
      });
      expect(outcome).toMatchObject({
        exitCode: 0,
        message: expect.stringMatching(
          /signing key is not the one MASH_AUDIT_CHECKPOINT_PUBLIC_KEY/,
        ),
      });
      expect(await verify(next.publicPem)).toEqual({ ok: true, records: 4 });
      // Left naming the old key, the setting no longer verifies the latest cut: purging stops.
      const stale = await run(["--through", "8"], {
        MASH_AUDIT_CHECKPOINT_PRIVATE_KEY: next.privatePem,
        MASH_AUDIT_CHECKPOINT_PUBLIC_KEY: keys.publicPem,
      });
      expect(stale).toMatchObject({
        exitCode: 1,
        message: expect.stringMatching(/does not verify/),
      });
      expect(await seqs()).toEqual([7, 8, 9, 10]);
      const updated = await run(["--through", "8"], {
        MASH_AUDIT_CHECKPOINT_PRIVATE_KEY: next.privatePem,
        MASH_AUDIT_CHECKPOINT_PUBLIC_KEY: next.publicPem,
      });
      expect(updated.exitCode).toBe(0);
      expect(updated.message).not.toMatch(/signing key is not the one/);
      expect(await verify(next.publicPem)).toEqual({ ok: true, records: 2 });
    });

    it("refuses to purge again through a cut already made", async () => {
      await run(["--through", "5"]);
      const outcome = await run(["--through", "3"]);
      expect(outcome).toMatchObject({
        exitCode: 2,
        message: expect.stringMatching(/already purged/),
      });
      expect(await seqs()).toEqual([6, 7, 8, 9, 10]);
    });
  });
}

describe("npm run audit:purge", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "mash-purge-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const cli = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, ["--import", "tsx", "gateway/src/audit/purge-cli.ts", ...args], {
      cwd: root,
      env: { ...process.env, MASH_DATA_DIR: dir, ...env },
      encoding: "utf8",
    });

  it("makes a key pair, purges with the key's file, and refuses without a key", async () => {
    const keys = join(dir, "keys");
    const made = cli(["--keygen", keys]);
    expect(made.status).toBe(0);
    const keyFile = join(keys, PRIVATE_KEY_FILE);
    const pubFile = join(keys, PUBLIC_KEY_FILE);
    expect(made.stdout).toContain(keyFile);
    expect(made.stdout).toContain(pubFile);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    // A second keygen would orphan the checkpoints the first key signed.
    expect(await runPurgeCommand(["--keygen", keys], {})).toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(/exists; move it away first/),
    });

    // The gateway's default log: audit.sqlite in the data directory.
    const log = await openAuditStore({ kind: "sqlite", file: join(dir, "audit.sqlite") });
    try {
      for (let n = 1; n <= 5; n++) await log.append(entry(n));
      const refused = cli(["--through", "3"], { MASH_AUDIT_CHECKPOINT_PRIVATE_KEY: "" });
      expect(refused.status).toBe(2);
      expect(refused.stderr).toMatch(/MASH_AUDIT_CHECKPOINT_PRIVATE_KEY is not set/);
      expect((await log.rows()).length).toBe(5);

      const purged = cli(["--through", "3"], { MASH_AUDIT_CHECKPOINT_PRIVATE_KEY: keyFile });
      expect(purged.stderr).toBe("");
      expect(purged.status).toBe(0);
      expect(purged.stdout).toMatch(/Purged 3 access-log records \(1 to 3\).*seq 3/);
      expect(
        verifyChain(await log.rows(), {
          checkpoint: await log.checkpoint(),
          verifySignature: checkpointVerifier(readFileSync(pubFile, "utf8")),
        }),
      ).toEqual({ ok: true, records: 2 });

      // audit:verify, as an operator checks afterwards, with the public key's file.
      const verified = spawnSync(
        process.execPath,
        ["--import", "tsx", "gateway/src/audit/cli.ts"],
        {
          cwd: root,
          env: { ...process.env, MASH_DATA_DIR: dir, MASH_AUDIT_CHECKPOINT_PUBLIC_KEY: pubFile },
          encoding: "utf8",
        },
      );
      expect(verified.stdout).toMatch(/Access log OK: 2 records/);
    } finally {
      await log.close();
    }
    // Four processes started through tsx: slow on a busy two-core machine.
  }, 180_000);
});
