import { openStore, type StoreConfig } from "@mash/kit";
import { storeBackends, type TempStores, tempStores } from "@mash/kit/testing";
import type { Kysely } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ERAS, type Era, eraA, eraB, eraC } from "./audit-eras.test-support.ts";
import { auditMigrations } from "./audit-migrations.ts";
import type { AuditTables } from "./audit-tables.ts";
import { agencyRows, notificationRows, subjectRows } from "./index-rows.ts";
import { type ChainHead, columnsOf } from "./link-batch.ts";
import { type AuditEntry, type AuditRecord, GENESIS } from "./record.ts";
import { openAuditStore } from "./store.ts";
import { verifyAccessLog } from "./verify-access-log.ts";

/** The store as the gateway of that time opened it: the migrations before `before` only. */
const openBefore = (config: StoreConfig, before: Era["before"]) =>
  openStore<unknown>({
    agency: "audit",
    config,
    migrations: Object.fromEntries(Object.entries(auditMigrations).filter(([n]) => n < before)),
  });

const TABLES = [
  "audit_agency",
  "audit_checkpoint",
  "audit_log",
  "audit_notification",
  "audit_subject",
];
const num = (v: unknown) => (v === null ? null : Number(v));
const sortedJson = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).sort();

/** Every table's columns and rows, in an order that does not depend on how they were written. */
async function dump(db: Kysely<AuditTables>, config: StoreConfig) {
  // PostgreSQL lists every schema's tables: the fresh store's sit beside this one's.
  const schema = config.kind === "postgres" ? config.schema : undefined;
  const own = (await db.introspection.getTables()).filter((t) => t.schema === schema);
  const tables = own.map((t) => ({
    name: t.name,
    columns: t.columns.map((c) => c.name).sort(),
  }));
  const log = await db.selectFrom("audit_log").selectAll().orderBy("seq").execute();
  // PostgreSQL may hand an integer back as text; the rows compare as numbers.
  const all = async (table: "audit_agency" | "audit_subject" | "audit_notification") => {
    const rows: { seq: number }[] = await db.selectFrom(table).selectAll().execute();
    return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
  };
  return {
    tables: sortedJson(tables),
    log: log.map((r) => ({
      ...r,
      seq: Number(r.seq),
      break_glass: num(r.break_glass),
      governance: num(r.governance),
    })),
    agency: sortedJson(await all("audit_agency")),
    subject: sortedJson(await all("audit_subject")),
    notification: sortedJson(await all("audit_notification")),
  };
}

async function dumpOf(config: StoreConfig) {
  const log = await openAuditStore(config, { thread: false });
  try {
    return await dump(log.store.db, config);
  } finally {
    await log.close();
  }
}

/** What today's gateway writes for the same entries, appended to a new store. */
async function freshDump(config: StoreConfig, entries: readonly AuditEntry[]) {
  const log = await openAuditStore(config, { thread: false });
  try {
    for (const entry of entries) await log.append(entry);
    return await dump(log.store.db, config);
  } finally {
    await log.close();
  }
}

for (const { backend, unavailable } of await storeBackends()) {
  describe.skipIf(unavailable)(`the access log's backfills on ${backend}`, () => {
    let temp: TempStores;
    beforeEach(() => {
      temp = tempStores(backend);
    });
    afterEach(async () => {
      await temp.cleanup();
    });

    /** Migrated, the store holds exactly what today's code derives, verifies, and stays put. */
    async function expectBackfilled(config: StoreConfig, entries: readonly AuditEntry[]) {
      const migrated = await dumpOf(config);
      const records = migrated.log.map((r) => JSON.parse(r.body) as AuditRecord);
      expect(records).toEqual(entries.map((e, i) => ({ ...e, seq: i + 1 })));
      for (const [i, row] of migrated.log.entries()) {
        const { at, user_id, enquiry_id, break_glass, governance } = row;
        expect({ at, user_id, enquiry_id, break_glass, governance }).toEqual(
          columnsOf(records[i] as AuditRecord),
        );
      }
      expect(migrated.agency).toEqual(sortedJson(records.flatMap(agencyRows)));
      expect(migrated.subject).toEqual(sortedJson(records.flatMap(subjectRows)));
      expect(migrated.notification).toEqual(sortedJson(records.flatMap(notificationRows)));
      // 0003's per-(agency, person) index is gone; a new store, run through the same
      // migrations, cannot tell.
      expect(migrated.tables.map((t) => (JSON.parse(t) as { name: string }).name)).toEqual(TABLES);
      // Row for row what today's code writes for the same entries in a new store.
      expect(migrated).toEqual(await freshDump(temp.configFor("fresh"), entries));

      expect(await verifyAccessLog({ store: config })).toEqual({
        exitCode: 0,
        message: expect.stringContaining(`Access log OK: ${entries.length} records, chain intact`),
      });
      expect(await dumpOf(config)).toEqual(migrated);
      return migrated;
    }

    for (const era of ERAS)
      it(`fills in ${era.before} and after it for records written before it`, async () => {
        const config = temp.configFor("audit");
        const old = await openBefore(config, era.before);
        try {
          await era.write(old.db, era.entries, { seq: 0, hash: GENESIS });
        } finally {
          await old.close();
        }
        await expectBackfilled(config, era.entries);
      });

    it("marks governance traffic in records written before its column", async () => {
      const config = temp.configFor("audit");
      const old = await openBefore(config, eraC.before);
      try {
        await eraC.write(old.db, [...eraB.entries, ...eraC.entries], { seq: 0, hash: GENESIS });
      } finally {
        await old.close();
      }
      const { log } = await expectBackfilled(config, [...eraB.entries, ...eraC.entries]);
      expect(log.map((r) => r.governance)).toEqual([0, 0, 0, 1, 0, 1, 0, 1, 0]);
    });

    it("fills in a store that was written by every version in turn", async () => {
      const config = temp.configFor("audit");
      let head: ChainHead = { seq: 0, hash: GENESIS };
      const eras = [eraA, eraB, eraC];
      for (const era of eras) {
        // Opened by that version first: it runs the migrations it has over what came before.
        const old = await openBefore(config, era.before);
        try {
          head = await era.write(old.db, era.entries, head);
        } finally {
          await old.close();
        }
      }
      const { log } = await expectBackfilled(
        config,
        eras.flatMap((e) => e.entries),
      );
      expect(log.map((r) => r.break_glass)).toEqual([0, 1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0]);
    });
  });
}
