import { storeBackends, type TempStores, tempStores } from "@mash/kit/testing";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { acknowledgeNotification, queryAccessLog, queryNotifications } from "./queries.ts";
import type { AuditEntry } from "./record.ts";
import { type AuditStore, openAuditStore } from "./store.ts";
import { verifyDerived } from "./verify-derived.ts";

/** A request by `user` that returned police and health data about `subjects`. */
const entry = (n: number, over: Partial<AuditEntry> = {}): AuditEntry => ({
  at: new Date(Date.UTC(2026, 10, 1, 9, 0, n)).toISOString(),
  requestId: `req-${n}`,
  userId: n % 2 ? "sw.patel" : "nurse.evans",
  agency: "childrens-services",
  roles: ["social_worker"],
  enquiryId: n % 3 ? "ENQ-2001" : null,
  breakGlassReason: null,
  operationName: "SubjectOverview",
  queryHash: "a".repeat(64),
  subjects: ["S-1", `S-${100 + n}`],
  released: [
    { field: "PoliceSection.known", agency: "police" },
    { field: "HealthSection.gpPractice", agency: "health" },
  ],
  withheld: [
    { field: "Intelligence.source", rule: "police-intelligence-sources", agency: "police" },
  ],
  seen: [
    { agency: "health", subjects: [`S-${100 + n}`] },
    { agency: "police", subjects: ["S-1", `S-${100 + n}`] },
  ],
  flagged: [],
  outcome: "partial",
  ...over,
});

for (const { backend, unavailable } of await storeBackends()) {
  describe.skipIf(unavailable)(`governance queries over the access log on ${backend}`, () => {
    let temp: TempStores;
    let log: AuditStore;
    beforeEach(async () => {
      temp = tempStores(backend);
      log = await openAuditStore(temp.configFor("audit"));
    });
    afterEach(async () => {
      await log.close();
      await temp.cleanup();
    });

    it("finds an agency's accesses by subject, user, enquiry and time, newest first", async () => {
      await Promise.all(Array.from({ length: 9 }, (_, i) => log.append(entry(i + 1))));
      const db = log.store.db;
      const bySubject = await queryAccessLog(db, "police", { subjectId: "S-1" });
      expect(bySubject.items.map((e) => e.seq)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1]);
      // Health's data was never about S-1, so health's officer finds nothing for S-1.
      expect((await queryAccessLog(db, "health", { subjectId: "S-1" })).items).toEqual([]);
      const user = await queryAccessLog(db, "police", { userId: "nurse.evans" });
      expect(user.items.every((e) => e.userId === "nurse.evans")).toBe(true);
      expect(user.items).toHaveLength(4);
      const enquiry = await queryAccessLog(db, "police", { enquiryId: "ENQ-2001" });
      expect(enquiry.items.map((e) => e.seq)).toEqual([8, 7, 5, 4, 2, 1]);
      const window = await queryAccessLog(db, "police", {
        from: "2026-11-01T09:00:03Z",
        to: "2026-11-01T09:00:05Z",
      });
      expect(window.items.map((e) => e.seq)).toEqual([4, 3]);
      // Each agency sees only its own part of a record.
      expect(bySubject.items[0]?.released).toEqual(["PoliceSection.known"]);
      expect(bySubject.items[0]?.withheld).toEqual([
        { field: "Intelligence.source", rule: "police-intelligence-sources" },
      ]);
      const health = await queryAccessLog(db, "health", { subjectId: "S-109" });
      expect(health.items[0]?.released).toEqual(["HealthSection.gpPractice"]);
      expect(health.items[0]?.withheld).toEqual([]);
      expect((await queryAccessLog(db, "education", {})).items).toEqual([]);
    });

    it("pages with a cursor, without overlap or gaps, and refuses a forged cursor", async () => {
      for (let i = 1; i <= 7; i++) await log.append(entry(i));
      const db = log.store.db;
      const seen: number[] = [];
      let after: string | null = null;
      do {
        const page = await queryAccessLog(db, "police", {}, 3, after);
        seen.push(...page.items.map((e) => e.seq));
        after = page.nextCursor;
      } while (after);
      expect(seen).toEqual([7, 6, 5, 4, 3, 2, 1]);
      await expect(queryAccessLog(db, "police", {}, 3, "1 OR 1=1")).rejects.toThrow(/cursor/);
      await expect(queryAccessLog(db, "police", {}, 1000)).rejects.toThrow(/between 1 and/);
    });

    it("notifies each owning agency of break glass and flagged people, once, acknowledged once", async () => {
      await log.append(entry(1));
      await log.append(entry(2, { breakGlassReason: "Child at immediate risk; out of hours." }));
      await log.append(entry(3, { flagged: ["S-103"] }));
      const db = log.store.db;
      const police = (await queryNotifications(db, "police", undefined)).items;
      expect(police.map((n) => [n.seq, n.kinds])).toEqual([
        [3, ["FLAGGED_SUBJECT"]],
        [2, ["BREAK_GLASS"]],
      ]);
      expect(police[0]?.subjects).toEqual(["S-103"]);
      expect(police[1]?.subjects).toEqual(["S-1", "S-102"]);
      expect(police[1]?.fields).toEqual(["PoliceSection.known"]);
      const id = police[1]?.id as string;
      expect(await acknowledgeNotification(db, "health", id, "ig.health")).toBeUndefined();
      const acked = await acknowledgeNotification(db, "police", id, "ig.police2");
      expect(acked?.acknowledgedBy).toBe("ig.police2");
      const again = await acknowledgeNotification(db, "police", id, "ig.police");
      expect(again?.acknowledgedBy).toBe("ig.police2");
      expect((await queryNotifications(db, "police", false)).items.map((n) => n.seq)).toEqual([3]);
      expect((await queryNotifications(db, "police", true)).items.map((n) => n.seq)).toEqual([2]);
    });

    it("audit:verify catches search columns, index rows and notifications that no longer match their record", async () => {
      for (let i = 1; i <= 4; i++)
        await log.append(entry(i, i === 2 ? { flagged: ["S-102"] } : {}));
      const db = log.store.db;
      expect(await verifyDerived(db)).toEqual({ ok: true });
      // Backdating a record's time column would steer searches (and a purge by date).
      await db
        .updateTable("audit_log")
        .set({ at: "2000-01-01T00:00:00.000Z" })
        .where("seq", "=", 3)
        .execute();
      expect(await verifyDerived(db)).toMatchObject({ ok: false, seq: 3 });
      await db
        .updateTable("audit_log")
        .set({ at: entry(3).at })
        .where("seq", "=", 3)
        .execute();
      expect(await verifyDerived(db)).toEqual({ ok: true });
      // Hiding an access from an officer's search by deleting its index row.
      await db
        .deleteFrom("audit_agency")
        .where("seq", "=", 4)
        .where("agency", "=", "police")
        .execute();
      expect(await verifyDerived(db)).toMatchObject({ ok: false, seq: 4 });
      await db.insertInto("audit_agency").values({ seq: 4, agency: "police" }).execute();
      expect(await verifyDerived(db)).toEqual({ ok: true });
      await db.insertInto("audit_subject").values({ seq: 4, subject_id: "S-999" }).execute();
      expect(await verifyDerived(db)).toMatchObject({ ok: false, seq: 4 });
      await db.deleteFrom("audit_subject").where("subject_id", "=", "S-999").execute();
      // A notification removed, or one forged for a record that never was.
      await db.deleteFrom("audit_notification").where("seq", "=", 2).execute();
      expect(await verifyDerived(db)).toMatchObject({ ok: false, seq: 2 });
    });
  });
}

describe("access log durability on SQLite", () => {
  it("commits at synchronous NORMAL (crash-safe in WAL) unless FULL is asked for", async () => {
    const temp = tempStores("sqlite");
    const mode = async (fullSync: boolean | undefined) => {
      const log = await openAuditStore(temp.configFor(`audit_${fullSync ?? "default"}`), {
        fullSync,
      });
      try {
        const { rows } = await sql<{ synchronous: number }>`pragma synchronous`.execute(
          log.store.db,
        );
        return rows[0]?.synchronous;
      } finally {
        await log.close();
      }
    };
    try {
      expect(await mode(undefined)).toBe(1);
      expect(await mode(true)).toBe(2);
    } finally {
      await temp.cleanup();
    }
  });
});
