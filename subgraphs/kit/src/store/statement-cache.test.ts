import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { Kysely, SqliteDialect, sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { preparingOnce } from "./statement-cache.ts";

interface DB {
  person: { id: string; name: string };
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A store as open-store.ts opens one, with the database's prepare counted. */
async function store(kept?: { statements: number; characters: number; longest: number }) {
  const dir = mkdtempSync(join(tmpdir(), "statement-cache-"));
  dirs.push(dir);
  const database = new Database(join(dir, "s.sqlite"));
  const prepared: string[] = [];
  const prepare = database.prepare.bind(database);
  database.prepare = ((text: string) => {
    prepared.push(text);
    return prepare(text);
  }) as typeof database.prepare;
  const db = new Kysely<DB>({
    dialect: new SqliteDialect({ database: preparingOnce(database, kept) }),
  });
  await sql`create table person (id text primary key, name text not null)`.execute(db);
  return { db, prepared };
}

describe("statements prepared once per store", () => {
  it("prepares a query's text once and answers each run with that run's parameters", async () => {
    const { db, prepared } = await store();
    await db.insertInto("person").values({ id: "S-1", name: "Amelia" }).execute();
    await db.insertInto("person").values({ id: "S-2", name: "Bea" }).execute();
    const before = prepared.length;
    const byId = (id: string) =>
      db.selectFrom("person").select("name").where("id", "=", id).executeTakeFirst();
    expect(await byId("S-1")).toEqual({ name: "Amelia" });
    expect(await byId("S-2")).toEqual({ name: "Bea" });
    expect(await byId("S-3")).toBeUndefined();
    expect(prepared.length - before).toBe(1);
    await db.destroy();
  });

  it("runs a statement again after one of its runs failed", async () => {
    const { db } = await store();
    const insert = (id: string) => db.insertInto("person").values({ id, name: "X" }).execute();
    await insert("S-1");
    await expect(insert("S-1")).rejects.toThrow(/UNIQUE/);
    await insert("S-2");
    expect(await db.selectFrom("person").select("id").orderBy("id").execute()).toEqual([
      { id: "S-1" },
      { id: "S-2" },
    ]);
    await db.destroy();
  });

  it("answers with the table as it is after a schema change", async () => {
    const { db } = await store();
    await db.insertInto("person").values({ id: "S-1", name: "Amelia" }).execute();
    const all = () => db.selectFrom("person").selectAll().execute();
    expect(await all()).toEqual([{ id: "S-1", name: "Amelia" }]);
    await sql`alter table person add column school text`.execute(db);
    expect(await all()).toEqual([{ id: "S-1", name: "Amelia", school: null }]);
    await db.destroy();
  });

  it("gives a query still iterating a statement of its own", async () => {
    const { db } = await store();
    for (const id of ["S-1", "S-2", "S-3"])
      await db.insertInto("person").values({ id, name: id }).execute();
    const query = db.selectFrom("person").select("id").orderBy("id");
    const seen: string[] = [];
    for await (const row of query.stream()) {
      seen.push(row.id);
    }
    expect(seen).toEqual(["S-1", "S-2", "S-3"]);
    const raw = new Database(":memory:");
    raw.exec("create table t (v integer); insert into t values (1), (2)");
    const cached = preparingOnce(raw);
    const first = cached.prepare("select v from t") as Database.Statement;
    const iterator = first.iterate();
    iterator.next();
    const second = cached.prepare("select v from t") as Database.Statement;
    expect(second).not.toBe(first);
    expect(second.all()).toEqual([{ v: 1 }, { v: 2 }]);
    iterator.return?.();
    expect(cached.prepare("select v from t")).toBe(first);
    raw.close();
    await db.destroy();
  });

  it("keeps a bounded number of texts, the least recently used forgotten", async () => {
    const { db, prepared } = await store({ statements: 2, characters: 1 << 20, longest: 1 << 20 });
    const run = (n: number) => sql`select ${sql.lit(n)} as n`.execute(db);
    await run(1);
    await run(2);
    await run(1);
    await run(3); // forgets 2, the least recently used
    const before = prepared.length;
    await run(1);
    await run(3);
    expect(prepared.length).toBe(before);
    await run(2);
    expect(prepared.length).toBe(before + 1);
    await db.destroy();
  });

  it("keeps a bounded length of text, and never a text longer than the longest kept", async () => {
    const query = (n: number) =>
      sql`select id from person where id in (${sql.join(Array.from({ length: n }, (_, i) => `S-${i}`))})`;
    const { db } = await store();
    const length = (n: number) => query(n).compile(db).sql.length;
    // Room for the texts of 2, 3 and 4 ids, not for a fourth text; a text of 40 ids is too long.
    const characters = length(2) + length(3) + length(4) + 2;
    await db.destroy();
    const { db: kept, prepared } = await store({
      statements: 512,
      characters,
      longest: length(10),
    });
    const ids = (n: number) => query(n).execute(kept);
    for (const n of [1, 2, 3, 4]) await ids(n);
    let before = prepared.length;
    await ids(4);
    await ids(3);
    await ids(2);
    expect(prepared.length).toBe(before);
    await ids(1); // forgotten to make room for 4
    expect(prepared.length).toBe(before + 1);
    before = prepared.length;
    await ids(40);
    await ids(40);
    expect(prepared.length).toBe(before + 2);
    await kept.destroy();
  });
});
