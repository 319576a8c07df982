import { join } from "node:path";
import { type AuditRecord, type AuditStore, openAuditStore } from "@mash/gateway";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ChronologySystem,
  chronologyItems,
  type Row,
  startChronologySystem,
  underlyingItems,
} from "./chronology-system.ts";
import type { AsUser } from "./system.ts";

/**
 * Subject.chronology, served by the gateway from the agencies' own fields: the same items as
 * those fields, newest first, judged as they are, one error per withheld field, one access-log
 * record per request (chronology-system.ts has the test's policies and queries).
 */
describe("Subject.chronology", () => {
  let sys: ChronologySystem;
  let log: AuditStore;
  beforeAll(async () => {
    sys = await startChronologySystem();
    log = await openAuditStore({
      kind: "sqlite",
      file: join(sys.system.identity.dataDir, "audit.sqlite"),
    });
  }, 60_000);
  afterAll(async () => {
    await log?.close();
    await sys?.stop();
  });
  const chronology = (...args: Parameters<ChronologySystem["chronology"]>) =>
    sys.chronology(...args);

  const cases: [string, AsUser][] = [
    ["S-1001", { as: "mgr.okafor", enquiry: "ENQ-2001" }],
    ["S-1001", { as: "nurse.evans", enquiry: "ENQ-2001" }],
    ["S-1003", { as: "mgr.okafor", enquiry: "ENQ-2001" }],
    ["S-1001", { as: "pc.jones", enquiry: "ENQ-2001" }],
    ["S-1002", { as: "dsl.murphy" }],
  ];
  it.each(cases)(
    "holds the items of the underlying fields, newest first (%s, %o)",
    async (id, who) => {
      const underlying = await sys.underlying(id, who);
      const { entries, body } = await chronology(id, who);
      expect(body.data?.subject).toBeTruthy();
      expect(chronologyItems(entries)).toEqual(
        underlyingItems(underlying.body.data?.subject ?? {}),
      );
      const times = entries.map((e) => Date.parse(e.at));
      expect(times).toEqual([...times].sort((a, b) => b - a));
    },
  );

  it("has items from several agencies for the fixtures' family", async () => {
    const { entries } = await chronology("S-1001", { as: "mgr.okafor", enquiry: "ENQ-2001" });
    expect(new Set(entries.map((e) => e.agency)).size).toBeGreaterThanOrEqual(3);
  });

  it("keeps only the agencies asked for", async () => {
    const who = { as: "mgr.okafor", enquiry: "ENQ-2001" };
    const all = await chronology("S-1001", who);
    const some = await chronology("S-1001", who, ["health", "mash"]);
    expect(some.entries).toEqual(
      all.entries.filter((e) => e.agency === "health" || e.agency === "mash"),
    );
    expect(some.entries.length).toBeGreaterThan(0);
    const none = await chronology("S-1001", who, []);
    expect(none.entries).toEqual([]);
  });

  it("leaves out every item whose date is withheld, saying so once for the field", async () => {
    const who = { as: "sw.patel", enquiry: "ENQ-2001" };
    const underlying = await sys.underlying("S-1003", who);
    const police = (underlying.body.data?.subject.police ?? {}) as Row;
    const incidents = (police.incidents ?? []) as Row[];
    expect(incidents.length).toBeGreaterThan(1);
    const { entries, body } = await chronology("S-1003", who);
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.filter((e) => e.agency === "police")).toEqual([]);
    const dateErrors = (body.errors ?? []).filter(
      (e) => e.extensions?.rule === "test-incident-dates-withheld",
    );
    expect(dateErrors).toHaveLength(1);
    expect(dateErrors[0]?.path).toEqual(["subject", "chronology"]);
    expect(dateErrors[0]?.extensions).toMatchObject({
      owner: "police",
      code: "UNAUTHORIZED_FIELD_OR_TYPE",
    });
  });

  it("tells a role one error per withheld field, at the chronology", async () => {
    const who = { as: "pc.jones" };
    const underlying = await sys.underlying("S-1001", who);
    const { entries, body } = await chronology("S-1001", who);
    // Every agency the role may not read without a purpose is missing, with one error each.
    const fields = new Set(
      (underlying.body.errors ?? []).map((e) => `${e.extensions?.owner}|${e.path?.at(-1)}`),
    );
    expect(fields.size).toBeGreaterThan(2);
    const errors = body.errors ?? [];
    expect(errors).toHaveLength(fields.size);
    for (const error of errors) expect(error.path).toEqual(["subject", "chronology"]);
    const told = (list: typeof errors) =>
      [...new Set(list.map((e) => `${e.extensions?.owner}|${e.extensions?.rule}`))].sort();
    expect(told(errors)).toEqual(told(underlying.body.errors ?? []));
    expect(chronologyItems(entries)).toEqual(underlyingItems(underlying.body.data?.subject ?? {}));
  });

  it("is one record in the access log per request", async () => {
    const rows = async () => (await log.rows()).map((r) => JSON.parse(r.body) as AuditRecord);
    const before = (await rows()).length;
    await chronology("S-1001", { as: "mgr.okafor", enquiry: "ENQ-2001" });
    await chronology("S-1001", { as: "pc.jones" });
    const after = await rows();
    expect(after.length).toBe(before + 2);
    expect(after.at(-2)?.enquiryId).toBe("ENQ-2001");
  });

  it("refuses an agency it does not know, naming the ones it does", async () => {
    const { status, body } = await chronology("S-1001", { as: "mgr.okafor" }, ["police", "polise"]);
    expect(status).toBe(400);
    expect(body.data ?? null).toBeNull();
    expect(body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(body.errors?.[0]?.message).toContain('"polise"');
    expect(body.errors?.[0]?.message).toContain("adult-social-care, childrens-services");
  });

  it("is in a role's introspection, with its union's members", async () => {
    const { body } = await sys.system.query<{
      subject: { fields: { name: string }[] };
      item: { possibleTypes: { name: string }[] };
    }>(
      `{ subject: __type(name: "Subject") { fields { name } } item: __type(name: "ChronologyItem") { possibleTypes { name } } }`,
      {},
      { as: "sw.patel" },
    );
    expect(body.data?.subject.fields.map((f) => f.name)).toContain("chronology");
    expect(body.data?.item.possibleTypes.map((t) => t.name)).toContain("CaseNote");
  });
});
