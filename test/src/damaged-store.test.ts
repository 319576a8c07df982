import { statSync } from "node:fs";
import { storeBackends } from "@mash/kit/testing";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { projectOperation } from "./contract.ts";
import {
  AMELIA,
  damageLines,
  damagePages,
  expectHealthNames,
  expectOnlyUnavailable,
  fileOf,
  hashOf,
  onSchema,
  startDamaged,
  stopDamagedSystems,
} from "./damaged-system.ts";

afterEach(stopDamagedSystems);

describe("a damaged SQLite store in the running graph", () => {
  it("found at start: that agency's section is unavailable, named; the others are served; the file is left as found", async () => {
    let before = "";
    const system = await startDamaged("sqlite", {
      agency: "police",
      async damage(config) {
        damagePages(fileOf(config));
        before = hashOf(fileOf(config));
      },
    });
    expect(damageLines(system, "police")).toEqual([
      expect.objectContaining({
        level: "error",
        msg: expect.stringMatching(/found at start/),
        store: fileOf(system.config("police")),
        code: expect.stringMatching(/^SQLITE_CORRUPT/),
        error: expect.stringMatching(/malformed|quick_check/),
      }),
    ]);
    const { status, body } = await system.overview();
    expect(status).toBe(200);
    const subject = expectOnlyUnavailable(body, "police", "police");
    expect(subject?.probation).toMatchObject({ known: expect.any(Boolean) });
    expect(subject?.socialCare).toMatchObject({ known: expect.any(Boolean) });
    await expectHealthNames(system, "police");

    // The same answer, in the same shape, as for an agency that is not running at all.
    await system.subgraph("probation").stop();
    const both = await system.overview();
    const [police, probation] = ["police", "probation"].map((agency) =>
      both.body.errors?.find((e) => e.extensions?.agency === agency),
    );
    expect(Object.keys(police ?? {})).toEqual(Object.keys(probation ?? {}));
    const unnamed = (message?: string) =>
      message?.replace(/^.* is not answering/, "X is not answering");
    expect(unnamed(police?.message)).toBe(unnamed(probation?.message));
    expect(police?.path).toEqual(["subject", "police"]);
    expect(probation?.path).toEqual(["subject", "probation"]);

    await system.stop();
    expect(hashOf(fileOf(system.config("police")))).toBe(before);
  });

  it("damaged while running: the first query that fails flips the agency to unavailable, for good", async () => {
    const system = await startDamaged("sqlite");
    const health = system.subgraph("health");
    const first = await system.overview(AMELIA);
    expect(first.body.data?.subject?.health).toMatchObject({ known: true });
    expect((await system.gatewayHealth()).status).toBe(200);

    const file = fileOf(system.config("health"));
    // A store seeded in this run is still mostly in its -wal file: into the main file with it.
    await health.servedLog.flush();
    await sql`pragma wal_checkpoint(truncate)`.execute(health.store.db);
    // What it serves next is committed to the -wal file, which closing would copy into the
    // damaged main file were it not left as found.
    expect((await system.overview(AMELIA)).status).toBe(200);
    await health.servedLog.flush();
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(0);
    damagePages(file);
    const before = hashOf(file);
    // A running store keeps recent pages in memory; time and other reads push them out.
    await sql`pragma shrink_memory`.execute(health.store.db);
    expect(damageLines(system, "health")).toEqual([]);

    // The very query that found it answers as unavailable, not as internal errors.
    const found = await system.overview(AMELIA);
    expect(found.status).toBe(200);
    const subject = expectOnlyUnavailable(found.body, "health", "health", AMELIA);
    expect(subject?.education).toMatchObject({ known: true });
    expect(subject?.socialCare).toMatchObject({ known: true });
    expect(damageLines(system, "health")).toEqual([
      expect.objectContaining({
        msg: expect.stringMatching(/found by a query/),
        store: file,
        code: expect.stringMatching(/^SQLITE_CORRUPT/),
        error: "database disk image is malformed",
      }),
    ]);
    expectOnlyUnavailable((await system.overview(AMELIA)).body, "health", "health", AMELIA);
    await expectHealthNames(system, "health");
    await system.stop();
    expect(hashOf(file)).toBe(before);
  });
});

describe("a damaged hub store", () => {
  it("refuses the mutation that finds it, writes nothing, and is named unavailable", async () => {
    const system = await startDamaged("sqlite");
    const hub = system.subgraph("mash");
    const file = fileOf(system.config("mash"));
    await hub.servedLog.flush();
    await sql`pragma wal_checkpoint(truncate)`.execute(hub.store.db);
    damagePages(file);
    const before = hashOf(file);
    await sql`pragma shrink_memory`.execute(hub.store.db);

    const input = {
      reason: "School reports attendance has fallen to 71%",
      rag: "AMBER",
      subjectIds: ["S-1007"],
    };
    const opened = await system.query<{ openEnquiry: unknown }>(
      projectOperation("OpenEnquiry"),
      { input },
      false,
    );
    expect(opened.status).toBe(200);
    expect(opened.body.data?.openEnquiry ?? null).toBeNull();
    // A root field's subgraph down leaves no section to put it at: as for a hub not running.
    expect(opened.body.errors).toEqual([
      {
        message: "The mash service did not answer; its data is not in this response.",
        extensions: { code: "AGENCY_UNAVAILABLE", subgraph: "mash" },
      },
    ]);
    expect(JSON.stringify(opened.body)).not.toMatch(/Internal error|INTERNAL|SQLITE|malformed/);
    expect(damageLines(system, "mash")).toEqual([
      expect.objectContaining({ msg: expect.stringMatching(/found by a query/), store: file }),
    ]);
    // The next one is refused before it runs; a purpose can no longer be checked at all.
    const again = await system.query<{ openEnquiry: unknown }>(
      projectOperation("OpenEnquiry"),
      { input },
      false,
    );
    expect(again.body.errors).toEqual(opened.body.errors);
    // Nothing committed since the checkpoint emptied the -wal file: no enquiry, no served entry.
    await hub.servedLog.flush();
    expect(statSync(`${file}-wal`).size).toBe(0);
    const overview = await system.overview();
    expect(overview.status).toBe(503);
    expect(overview.body.errors?.[0]?.extensions?.code).toBe("PURPOSE_UNAVAILABLE");
    await expectHealthNames(system, "mash");
    await system.stop();
    expect(hashOf(file)).toBe(before);
  });
});

const postgres = (await storeBackends()).find((b) => b.backend === "postgres");

describe.skipIf(postgres?.unavailable)("a damaged PostgreSQL schema in the running graph", () => {
  it("a table gone before start, and another agency's while running: each agency unavailable, named", async () => {
    const system = await startDamaged("postgres", {
      agency: "police",
      async damage(config) {
        await onSchema(config, "drop table incidents");
      },
    });
    expect(damageLines(system, "police")).toEqual([
      expect.objectContaining({
        msg: expect.stringMatching(/found at start/),
        store: expect.stringMatching(
          /^PostgreSQL schema "t[a-z0-9]+_police" on 127\.0\.0\.1:5432\//,
        ),
        code: "42P01",
        error: 'relation "incidents" does not exist',
      }),
    ]);
    expect(JSON.stringify(system.errors)).not.toContain("postgres://");
    const atStart = await system.overview();
    expect(atStart.status).toBe(200);
    expectOnlyUnavailable(atStart.body, "police", "police");
    await expectHealthNames(system, "police");
    // Not re-created by a migration, nor seeded.
    expect(
      (await onSchema(system.config("police"), "select to_regclass('incidents') as t")).rows,
    ).toEqual([{ t: null }]);

    expect((await system.overview()).body.data?.subject?.probation).toMatchObject({ known: true });
    await onSchema(system.config("probation"), "alter table persons drop column on_licence");
    const found = await system.overview();
    const subject = found.body.data?.subject;
    expect(subject?.probation).toBeNull();
    expect(found.body.errors?.filter((e) => e.extensions?.code === "AGENCY_UNAVAILABLE")).toEqual([
      expect.objectContaining({
        path: ["subject", "police"],
        extensions: { code: "AGENCY_UNAVAILABLE", agency: "police" },
      }),
      expect.objectContaining({
        path: ["subject", "probation"],
        extensions: { code: "AGENCY_UNAVAILABLE", agency: "probation" },
      }),
    ]);
    expect(JSON.stringify(found.body)).not.toMatch(/Internal error|INTERNAL|does not exist|42703/);
    expect(damageLines(system, "probation")).toEqual([
      expect.objectContaining({ msg: expect.stringMatching(/found by a query/), code: "42703" }),
    ]);
    expect(subject?.socialCare).toMatchObject({ known: expect.any(Boolean) });
    const { body } = await system.gatewayHealth();
    expect(body.unavailable).toEqual(["police", "probation"]);
  });
});
