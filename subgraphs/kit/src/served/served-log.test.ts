import { type Kysely, type Migration, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../logger.ts";
import { openStore, type Store } from "../store/open-store.ts";
import { storeBackends, tempStores } from "../testing/backends.ts";
import { readServedLog } from "./read-served-log.ts";
import { createServedLog, type ServedEntry } from "./served-log.ts";
import { SERVED_TABLE, type ServedTables, servedMigrations } from "./table.ts";

/** An agency of one table, as an agency's own migrations would make it. */
const agencyMigrations: Record<string, Migration> = {
  "0001_initial": {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then.
    async up(db: Kysely<any>) {
      await db.schema.createTable("visits").addColumn("subject_id", "text").execute();
    },
  },
};

const entry = (n: number, outcome: ServedEntry["outcome"] = "served"): ServedEntry => ({
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
  outcome,
  reason: outcome === "refused" ? "missing" : null,
  rid: outcome === "served" ? `r-${n}` : null,
  jti: outcome === "served" ? `jti-${n}-0123456789` : null,
  body_digest: "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU",
  sub: outcome === "served" ? "pc.jones" : null,
  roles: outcome === "served" ? "police_officer" : null,
  enquiry: null,
  operation: outcome === "served" ? "query" : null,
  root_fields: outcome === "served" ? "_entities" : null,
  query_hash: null,
  entities: outcome === "served" ? 3 : 0,
  status: outcome === "served" ? 200 : 401,
});

const quiet = createLogger("test", "silent");

for (const { backend, unavailable } of await storeBackends()) {
  describe.skipIf(unavailable)(`the served log on ${backend}`, () => {
    const temp = tempStores(backend);
    let store: Store<unknown>;
    const open = (kit = true) =>
      openStore<unknown>({
        agency: "visits",
        config: temp.configFor("visits"),
        migrations: agencyMigrations,
        ...(kit ? { kitMigrations: servedMigrations } : {}),
      });
    const rows = async () =>
      (store.db as unknown as Kysely<ServedTables>)
        .selectFrom(SERVED_TABLE)
        .selectAll()
        .orderBy("id")
        .execute();

    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store?.close();
      await temp.cleanup();
    });

    it("is a kit table beside the agency's, versioned apart from its migrations", async () => {
      expect(await rows()).toEqual([]);
      // A tool that knows only the agency's migrations (npm run seed) still opens the store.
      const seedLike = await open(false);
      await seedLike.close();
      // And reopening with both applies nothing twice.
      const again = await open();
      await again.close();
    });

    it("writes entries in batches, off the caller's path", async () => {
      const log = createServedLog(store, { logger: quiet, flushMs: 10_000, batchSize: 4 });
      const before = store.stats.kitStatements;
      const agencyBefore = store.stats.statements;
      for (let n = 0; n < 10; n++) log.record(entry(n));
      // Nothing written by record() itself: it only queues (a full batch starts a write).
      await log.flush();
      const written = await rows();
      expect(written.map((r) => r.rid)).toEqual(Array.from({ length: 10 }, (_, n) => `r-${n}`));
      expect(written[0]).toMatchObject({ ...entry(0), id: expect.anything() });
      // 10 entries, 4 a statement: 3 inserts (and the select above); none the agency's.
      expect(store.stats.kitStatements - before).toBe(4);
      expect(store.stats.statements - agencyBefore).toBe(0);
      await log.close();
    });

    it("keeps what it could not write and writes it once the store takes it again", async () => {
      await sql`delete from served_requests`.execute(store.db);
      const log = createServedLog(store, { logger: quiet, flushMs: 5 });
      await sql`alter table served_requests rename to served_requests_away`.execute(store.db);
      log.record(entry(1));
      log.record(entry(2));
      await expect(log.flush()).rejects.toThrow(/does not take the queued entries/);
      await sql`alter table served_requests_away rename to served_requests`.execute(store.db);
      // Retried on its own, a second later.
      await new Promise((r) => setTimeout(r, 1500));
      expect((await rows()).map((r) => r.rid)).toEqual(["r-1", "r-2"]);
      await log.close();
    });

    it("stops accepting past its capacity, and never lets refusals fill it", async () => {
      await sql`alter table served_requests rename to served_requests_away`.execute(store.db);
      const log = createServedLog(store, { logger: quiet, flushMs: 60_000, capacity: 4 });
      for (let n = 0; n < 5; n++) log.record(entry(n, "refused"));
      // Refusals beyond half the capacity are counted, not kept: anyone can be refused.
      expect(log.accepting).toBe(true);
      log.record(entry(10));
      log.record(entry(11));
      expect(log.accepting).toBe(false);
      await sql`alter table served_requests_away rename to served_requests`.execute(store.db);
      await sql`delete from served_requests`.execute(store.db);
      await log.flush();
      expect(log.accepting).toBe(true);
      const written = await rows();
      expect(written.map((r) => r.outcome)).toEqual(["refused", "refused", "served", "served"]);
      await log.close();
    });

    it("is read by a tool without migrating or writing, and is absent where never made", async () => {
      const read = await readServedLog(store.config, { since: "2026-01-01T00:00:10.000Z" });
      expect(read?.map((r) => r.rid)).toEqual(["r-10", "r-11"]);
      expect(typeof read?.[0]?.id).toBe("number");
      const bare = tempStores(backend);
      try {
        const other = await openStore<unknown>({
          agency: "bare",
          config: bare.configFor("bare"),
          migrations: agencyMigrations,
        });
        await other.close();
        expect(await readServedLog(bare.configFor("bare"))).toBeUndefined();
        expect(await readServedLog(bare.configFor("nobody"))).toBeUndefined();
      } finally {
        await bare.cleanup();
      }
    });
  });
}

describe("the served log of a damaged store", () => {
  // Nothing more is written to it; a served request is still on the agency's record, in its log.
  it("logs each served request it cannot keep, with its entry, and only counts refusals", async () => {
    const lines: { msg: string; fields: Record<string, unknown> }[] = [];
    const logger = {
      ...quiet,
      error: (msg: string, fields: Record<string, unknown> = {}) => lines.push({ msg, fields }),
    };
    const store = {
      damage: { code: "SQLITE_CORRUPT", message: "database disk image is malformed" },
      db: {},
    } as unknown as Store<unknown>;
    const log = createServedLog(store, { logger });
    log.record(entry(1));
    log.record(entry(2, "refused"));
    log.record(entry(3));
    await log.close();
    const served = lines.filter((l) => /a served request not recorded/.test(l.msg));
    expect(served.map((l) => l.fields.rid)).toEqual(["r-1", "r-3"]);
    expect(served[0]?.fields).toMatchObject({ sub: "pc.jones", operation: "query", status: 200 });
    expect(lines.find((l) => /entries not recorded/.test(l.msg))?.fields.count).toBe(3);
  });
});
