import { existsSync, statSync, writeFileSync } from "node:fs";
import { type Kysely, sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { openStore, StoreDamaged } from "../store/open-store.ts";
import { storeBackends } from "../testing/index.ts";
import {
  type ClinicDB,
  captureLogs,
  damagePages,
  expectRefusesAllButTheSchema,
  hashOf,
  migrations,
  onSchema,
  post,
  seededStore,
  start,
  stopClinics,
  tempStore,
  visitsIn,
} from "./damaged-store.test-support.ts";

afterEach(stopClinics);

describe("a damaged SQLite store", () => {
  it("with pages the database cannot read: starts unavailable, says which file, and leaves it as found", async () => {
    const config = await seededStore("sqlite");
    if (config.kind !== "sqlite") throw new Error("sqlite expected");
    expect(existsSync(`${config.file}-wal`)).toBe(false);
    damagePages(config.file);
    const before = hashOf(config.file);
    const { logger, lines, damageLines } = captureLogs();
    const subgraph = await start(config, logger);

    expect(damageLines()).toEqual([
      expect.objectContaining({
        level: "error",
        msg: expect.stringMatching(/found at start/),
        agency: "clinic",
        store: config.file,
        code: expect.stringMatching(/^SQLITE_CORRUPT/),
        error: expect.stringMatching(/malformed|quick_check/),
      }),
    ]);
    expect(lines.some((l) => /seeded an empty store/.test(String(l.msg)))).toBe(false);
    await expectRefusesAllButTheSchema(subgraph);
    await subgraph.stop();
    expect(hashOf(config.file)).toBe(before);
    // Reported once, however many requests it refused.
    expect(damageLines()).toHaveLength(1);
  });

  it("that is no database at all: starts unavailable (SQLITE_NOTADB) and is neither seeded nor rewritten", async () => {
    const config = tempStore("sqlite");
    if (config.kind !== "sqlite") throw new Error("sqlite expected");
    writeFileSync(config.file, Buffer.alloc(64 * 1024, "not a database, just bytes. "));
    const before = hashOf(config.file);
    const { logger, damageLines } = captureLogs();
    const subgraph = await start(config, logger);
    expect(damageLines()).toEqual([
      expect.objectContaining({
        store: config.file,
        code: "SQLITE_NOTADB",
        error: "file is not a database",
      }),
    ]);
    await expectRefusesAllButTheSchema(subgraph);
    await subgraph.stop();
    expect(hashOf(config.file)).toBe(before);
  });

  it("damaged while running: the first query that fails answers 503, and the store takes no statement after", async () => {
    const config = await seededStore("sqlite");
    if (config.kind !== "sqlite") throw new Error("sqlite expected");
    const { logger, damageLines } = captureLogs();
    const subgraph = await start(config, logger);
    expect((await post(subgraph, "{ noteLength }")).status).toBe(200);
    // The served log's entry for it is committed to the -wal file, not yet to the main one.
    await subgraph.servedLog.flush();
    damagePages(config.file);
    const before = hashOf(config.file);
    // A running store keeps recent pages in memory; time and other reads push them out.
    await sql`pragma shrink_memory`.execute(subgraph.store.db);
    expect(damageLines()).toEqual([]);

    const first = await post(subgraph, "{ noteLength }");
    expect(first.status).toBe(503);
    expect(first.body.errors?.map((e) => e.extensions?.code)).toEqual(["STORE_DAMAGED"]);
    expect(damageLines()).toEqual([
      expect.objectContaining({
        msg: expect.stringMatching(/found by a query/),
        store: config.file,
        code: expect.stringMatching(/^SQLITE_CORRUPT/),
        error: "database disk image is malformed",
      }),
    ]);
    const statements = subgraph.store.stats.statements + subgraph.store.stats.kitStatements;
    await expectRefusesAllButTheSchema(subgraph);
    await subgraph.servedLog.flush();
    expect(subgraph.store.stats.statements + subgraph.store.stats.kitStatements).toBe(statements);
    // Closing would ordinarily copy the -wal file's pages into the damaged one.
    expect(statSync(`${config.file}-wal`).size).toBeGreaterThan(0);
    await subgraph.stop();
    expect(hashOf(config.file)).toBe(before);
    expect(statSync(`${config.file}-wal`).size).toBeGreaterThan(0);
  });

  // A migration shipped since the store was made must not be the first thing written into
  // damaged pages: they are read before any migration runs, whoever opens the store.
  it("with pages damaged and a migration pending: nothing is migrated, and the seed refuses it", async () => {
    const config = await seededStore("sqlite");
    if (config.kind !== "sqlite") throw new Error("sqlite expected");
    damagePages(config.file);
    const before = hashOf(config.file);
    const pending = {
      ...migrations,
      "0002_extra": {
        // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then.
        async up(db: Kysely<any>) {
          await db.schema.createTable("extra").addColumn("id", "text").execute();
        },
      },
    };
    const damages: string[] = [];
    const kept = await openStore({
      agency: "clinic",
      config,
      migrations: pending,
      onDamage: (damage) => damages.push(damage.code),
    });
    expect(kept.damage?.code).toMatch(/^SQLITE_CORRUPT/);
    await kept.close();
    expect(damages).toHaveLength(1);
    const seeding = openStore({ agency: "clinic", config, migrations: pending, checkPages: true });
    await expect(seeding).rejects.toBeInstanceOf(StoreDamaged);
    expect(hashOf(config.file)).toBe(before);
    // Nothing was committed beside it either: no -wal holds the migration.
    expect(existsSync(`${config.file}-wal`) ? statSync(`${config.file}-wal`).size : 0).toBe(0);
  });

  it("fails to open for a tool that keeps no damaged store (npm run seed), naming the file", async () => {
    const config = tempStore("sqlite");
    if (config.kind !== "sqlite") throw new Error("sqlite expected");
    writeFileSync(config.file, Buffer.alloc(8192, 7));
    const opening = openStore({ agency: "clinic", config, migrations });
    await expect(opening).rejects.toBeInstanceOf(StoreDamaged);
    await expect(opening).rejects.toThrow(
      `The clinic store (${config.file}) is damaged: file is not a database (SQLITE_NOTADB)`,
    );
  });
});

for (const { backend, unavailable } of await storeBackends()) {
  describe.skipIf(unavailable)(`a damaged schema on ${backend}`, () => {
    it("with the agency's table gone: found at start, unavailable, not re-created or seeded", async () => {
      const config = await seededStore(backend);
      if (backend === "postgres") await onSchema(config, "drop table visits");
      else {
        const store = await openStore<ClinicDB>({ agency: "clinic", config, migrations });
        await sql`drop table visits`.execute(store.db);
        await store.close();
      }
      const { logger, damageLines } = captureLogs();
      const subgraph = await start(config, logger);
      expect(damageLines()).toEqual([
        expect.objectContaining({
          msg: expect.stringMatching(/found at start/),
          store:
            config.kind === "postgres"
              ? expect.stringMatching(/^PostgreSQL schema "t.*_clinic" on /)
              : config.file,
          code: backend === "postgres" ? "42P01" : "SQLITE_ERROR",
          error: expect.stringMatching(/visits/),
        }),
      ]);
      // The URL (which may carry a password) is not what names the schema.
      expect(JSON.stringify(damageLines())).not.toContain("postgres://");
      await expectRefusesAllButTheSchema(subgraph);
      await subgraph.stop();
      if (backend === "postgres")
        expect((await onSchema(config, "select to_regclass('visits') as t")).rows).toEqual([
          { t: null },
        ]);
    });

    it("with a column gone while running: the first query that names it flips the agency", async () => {
      const config = await seededStore(backend);
      const { logger, damageLines } = captureLogs();
      const subgraph = await start(config, logger);
      expect((await post(subgraph, "{ noteLength }")).status).toBe(200);
      const visits = await visitsIn(config);
      if (backend === "postgres") await onSchema(config, "alter table visits drop column note");
      else await sql`alter table visits drop column note`.execute(subgraph.store.db);
      const first = await post(subgraph, "{ noteLength }");
      expect(first.status).toBe(503);
      expect(damageLines()).toEqual([
        expect.objectContaining({
          msg: expect.stringMatching(/found by a query/),
          code: backend === "postgres" ? "42703" : "SQLITE_ERROR",
          error: expect.stringMatching(/note/),
        }),
      ]);
      await expectRefusesAllButTheSchema(subgraph);
      await subgraph.stop();
      // The refused mutation wrote nothing.
      expect(await visitsIn(config)).toBe(visits);
    });
  });
}
