import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Kysely, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, type Store } from "../store/open-store.ts";
import { storeBackends, tempStores } from "../testing/backends.ts";
import { flag, int, text } from "./columns.ts";
import type { SectionDB } from "./declaration.ts";
import { defineSection } from "./define-section.ts";
import { initialDdl } from "./initial-ddl.ts";
import { child, object } from "./parts.ts";
import { sectionAgency } from "./section-agency.ts";

/** A made-up agency with one of everything a declaration can say. */
const sample = defineSection({
  section: "SampleSection",
  field: "sample",
  person: {
    columns: {
      active: flag("active"),
      visits: int("visits"),
      worker: object(
        "Worker",
        {
          name: text("worker_name"),
          phone: text("worker_phone"),
          note: text("worker_note", { nullable: true }),
        },
        ["name"],
      ),
    },
    checks: { persons_worker_named: sql`worker_phone is null or worker_name is not null` },
  },
  children: {
    tags: child({
      table: "tags",
      columns: { tag: text("tag") },
      key: ["tag"],
      orderBy: ["tag"],
      value: "tag",
    }),
    events: child({
      table: "events",
      type: "SampleEvent",
      columns: {
        id: text("id"),
        at: text("happened_at"),
        urgent: flag("urgent"),
        by: text("recorded_by", { nullable: true, added: "0002_event_recorder" }),
      },
      orderBy: ["at", "id"],
    }),
  },
});

type SampleDB = SectionDB<typeof sample.declaration>;
const later = {
  "0002_event_recorder": {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then.
    up: (db: Kysely<any>) =>
      db.schema.alterTable("events").addColumn("recorded_by", "text").execute(),
  },
};

describe("a declared section's first migration", () => {
  it("creates the person row, its checks and each child table, but no later column", async () => {
    const ddl = await initialDdl(sample.migrations(later));
    expect(ddl).toContain(
      `create table "persons" ("subject_id" text primary key, "active" integer, "visits" integer, "worker_name" text, "worker_phone" text, "worker_note" text, constraint "persons_worker_named" check (worker_phone is null or worker_name is not null));`,
    );
    expect(ddl).toContain(
      `create table "events" ("subject_id" text not null references "persons" ("subject_id"), "id" text not null, "happened_at" text not null, "urgent" integer not null, constraint "events_pk" primary key ("subject_id", "id"));`,
    );
    expect(ddl).toContain(`constraint "tags_pk" primary key ("subject_id", "tag")`);
    expect(ddl).not.toContain("recorded_by");
  });

  it("lists the tables children first, in reverse order of creation", () => {
    expect(sample.tables).toEqual(["events", "tags", "persons"]);
  });

  it("refuses a declaration whose later column has no migration", () => {
    expect(() => sample.migrations()).toThrow(/0002_event_recorder/);
    expect(() => sample.migrations({ "0001_initial": later["0002_event_recorder"] })).toThrow();
  });

  it("refuses names that collide", () => {
    const clash = () =>
      defineSection({
        section: "Clash",
        field: "clash",
        person: { columns: { a: text("same"), b: text("same") } },
        children: {},
      });
    expect(clash).toThrow(/persons names same twice/);
  });
});

for (const { backend, unavailable } of await storeBackends()) {
  describe.skipIf(unavailable)(`a declared section on ${backend}`, () => {
    const temp = tempStores(backend);
    let store: Store<SampleDB>;
    beforeAll(async () => {
      store = await openStore<SampleDB>({
        agency: "sample",
        config: temp.configFor("sample"),
        migrations: sample.migrations(later),
      });
      await store.db
        .insertInto("persons")
        .values([
          {
            subject_id: "S-1",
            active: 1,
            visits: 3,
            worker_name: "Ann",
            worker_phone: null,
            worker_note: null,
          },
          {
            subject_id: "S-2",
            active: null,
            visits: null,
            worker_name: null,
            worker_phone: null,
            worker_note: null,
          },
        ])
        .execute();
      await store.db
        .insertInto("tags")
        .values([
          { subject_id: "S-1", tag: "b" },
          { subject_id: "S-1", tag: "a" },
        ])
        .execute();
      await store.db
        .insertInto("events")
        .values([
          { subject_id: "S-1", id: "E2", happened_at: "2024-01-01", urgent: 0, recorded_by: null },
          {
            subject_id: "S-1",
            id: "E1",
            happened_at: "2024-01-01",
            urgent: 1,
            recorded_by: "PC 12",
          },
          { subject_id: "S-1", id: "E0", happened_at: "2024-02-01", urgent: 0, recorded_by: null },
        ])
        .execute();
    });
    afterAll(async () => {
      await store?.close();
      await temp.cleanup();
    });

    it("reads every requested section in one statement, as the declaration says", async () => {
      const before = store.stats.statements;
      const sections = await sample.loadSections(store, ["S-1", "S-2", "S-NOBODY"]);
      expect(store.stats.statements - before).toBe(1);
      expect(sections.get("S-1")).toEqual({
        known: true,
        active: true,
        visits: 3,
        // A required part missing against the checks reads as empty, never as a half object.
        worker: { name: "Ann", phone: "", note: null },
        tags: ["a", "b"],
        events: [
          { id: "E1", at: "2024-01-01", urgent: true, by: "PC 12" },
          { id: "E2", at: "2024-01-01", urgent: false, by: null },
          { id: "E0", at: "2024-02-01", urgent: false, by: null },
        ],
      });
      expect(sections.get("S-2")).toEqual({
        known: true,
        active: null,
        visits: null,
        worker: null,
        tags: [],
        events: [],
      });
      expect(sections.has("S-NOBODY")).toBe(false);
    });

    it("gives a person it holds nothing on the same shape, all null or empty", () => {
      expect(sample.unknownSection()).toEqual({
        known: false,
        active: null,
        visits: null,
        worker: null,
        tags: [],
        events: [],
      });
    });

    it("counts subjects per type: the section, each nested object, each typed child table", async () => {
      expect(await sample.countSubjects(store)).toEqual({
        SampleSection: 2,
        Worker: 1,
        SampleEvent: 1,
      });
    });
  });
}

describe("a declared section as an agency", () => {
  const dir = mkdtempSync(join(tmpdir(), "mash-section-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const schema = (sdl: string) => {
    const file = join(dir, `${Math.random().toString(36).slice(2)}.graphql`);
    writeFileSync(file, sdl);
    return new URL(`file://${file}`);
  };

  it("resolves Subject.<field> through the batch loader, with the schema's scalars", async () => {
    const parts = sectionAgency(sample, schema("scalar DateTime\ntype Query { a: Int }"), later);
    expect(Object.keys(parts.resolvers)).toEqual(["DateTime", "Subject"]);
    const loaded: string[] = [];
    const ctx = { loaders: { section: { load: async (id: string) => loaded.push(id) } } };
    const resolve = parts.resolvers.Subject.sample as (
      s: { id: string },
      a: unknown,
      c: unknown,
    ) => unknown;
    await resolve({ id: "S-1" }, {}, ctx);
    expect(loaded).toEqual(["S-1"]);
  });

  it("refuses a schema scalar the kit has no implementation of", () => {
    expect(() =>
      sectionAgency(sample, schema("scalar Money\ntype Query { a: Int }"), later),
    ).toThrow(/Money/);
  });
});
