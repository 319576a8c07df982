import { generateKeyPairSync } from "node:crypto";
import { storeBackends, type TempStores, tempStores } from "@mash/kit/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type AuditEntry,
  type AuditRecord,
  canonicalJson,
  chainHash,
  chainHashOf,
} from "./record.ts";
import { type AuditRow, type AuditStore, openAuditStore } from "./store.ts";
import { checkpointSigner, checkpointVerifier, verifyChain } from "./verify.ts";

const keyPair = () => {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return {
    sign: checkpointSigner(privateKey.export({ type: "pkcs8", format: "pem" }).toString()),
    verify: checkpointVerifier(publicKey.export({ type: "spki", format: "pem" }).toString()),
  };
};

const entry = (n: number): AuditEntry => ({
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
  requestId: `req-${n}`,
  userId: `user-${n % 3}`,
  agency: "police",
  roles: ["police-officer"],
  enquiryId: n % 2 ? "ENQ-2001" : null,
  breakGlassReason: null,
  operationName: "SubjectOverview",
  queryHash: "a".repeat(64),
  subjects: ["S-1003"],
  released: [{ field: "Intelligence.summary", agency: "police" }],
  withheld: [{ field: "Intelligence.source", rule: "police-intelligence-sources" }],
  outcome: "partial",
});

for (const { backend, unavailable } of await storeBackends()) {
  describe.skipIf(unavailable)(`audit log on ${backend}`, () => {
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

    const fill = async (n: number) => {
      for (let i = 1; i <= n; i++) await log.append(entry(i));
      return log.rows();
    };
    /** Replaces the whole table, as someone with write access to the database could. */
    const rewrite = async (rows: AuditRow[]) => {
      await log.store.db.deleteFrom("audit_log").execute();
      for (const row of rows) await log.store.db.insertInto("audit_log").values(row).execute();
    };

    it("chains every record to the one before and verifies", async () => {
      const rows = await fill(5);
      expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
      for (let i = 1; i < rows.length; i++) expect(rows[i]?.prev_hash).toBe(rows[i - 1]?.hash);
      expect(verifyChain(rows)).toEqual({ ok: true, records: 5 });
      const first = JSON.parse(rows[0]?.body ?? "") as AuditRecord;
      expect(first).toEqual({ ...entry(1), seq: 1 });
    });

    it("loses and duplicates nothing under concurrent appends from two writers", async () => {
      const second = await openAuditStore(temp.configFor("audit"));
      try {
        const seqs = await Promise.all([
          ...Array.from({ length: 40 }, (_, i) => log.append(entry(i))),
          ...Array.from({ length: 20 }, (_, i) => second.append(entry(100 + i))),
        ]);
        expect(new Set(seqs).size).toBe(60);
        const rows = await log.rows();
        expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
        const ids = rows.map((r) => (JSON.parse(r.body) as AuditRecord).requestId);
        expect(new Set(ids).size).toBe(60);
        expect(verifyChain(rows).ok).toBe(true);
      } finally {
        await second.close();
      }
    });

    it("names an edited record", async () => {
      await fill(6);
      const row = (await log.rows())[2] as AuditRow;
      const body = { ...(JSON.parse(row.body) as AuditRecord), userId: "someone-else" };
      await log.store.db
        .updateTable("audit_log")
        .set({ body: canonicalJson(body) })
        .where("seq", "=", 3)
        .execute();
      const report = verifyChain(await log.rows());
      expect(report).toMatchObject({ ok: false, problem: { seq: 3, kind: "changed" } });
    });

    it("names an edited record whose hash was recomputed", async () => {
      await fill(6);
      const row = (await log.rows())[2] as AuditRow;
      const body = { ...(JSON.parse(row.body) as AuditRecord), withheld: [] };
      await log.store.db
        .updateTable("audit_log")
        .set({ body: canonicalJson(body), hash: chainHash(body, row.prev_hash) })
        .where("seq", "=", 3)
        .execute();
      const report = verifyChain(await log.rows());
      expect(report).toMatchObject({ ok: false, problem: { seq: 3, kind: "changed" } });
    });

    it("names a record whose text was changed so that it still parses to the record it was", async () => {
      await fill(6);
      const row = (await log.rows())[2] as AuditRow;
      const forged = [
        // A reader that takes the first of two keys sees another user.
        row.body.replace('{"', '{"userId":"mallory","'),
        // An injected __proto__ that JSON.parse keeps as a key of its own.
        row.body.replace('{"', '{"__proto__":{"userId":"mallory"},"'),
        // The same record, pretty-printed.
        JSON.stringify(JSON.parse(row.body), null, 1),
      ];
      for (const body of forged) {
        await log.store.db.updateTable("audit_log").set({ body }).where("seq", "=", 3).execute();
        const report = verifyChain(await log.rows());
        expect(report).toMatchObject({ ok: false, problem: { seq: 3, kind: "changed" } });
      }
    });

    it("names a last record whose text was changed and its hash made again over that text", async () => {
      await fill(3);
      const row = (await log.rows())[2] as AuditRow;
      const body = row.body.replace('{"', '{"userId":"mallory","');
      await log.store.db
        .updateTable("audit_log")
        .set({ body, hash: chainHashOf(body, row.prev_hash) })
        .where("seq", "=", 3)
        .execute();
      const report = verifyChain(await log.rows());
      expect(report).toMatchObject({ ok: false, problem: { seq: 3, kind: "changed" } });
    });

    it("names a deleted record, with or without renumbering", async () => {
      const rows = await fill(6);
      await log.store.db.deleteFrom("audit_log").where("seq", "=", 4).execute();
      expect(verifyChain(await log.rows())).toMatchObject({
        ok: false,
        problem: { seq: 4, kind: "removed" },
      });
      await rewrite(
        rows.filter((r) => r.seq !== 4).map((r) => (r.seq > 4 ? { ...r, seq: r.seq - 1 } : r)),
      );
      expect(verifyChain(await log.rows())).toMatchObject({
        ok: false,
        problem: { seq: 4, kind: "removed" },
      });
    });

    it("names an inserted record, forged crudely or carefully", async () => {
      const rows = await fill(6);
      const shifted = rows.map((r) => (r.seq >= 3 ? { ...r, seq: r.seq + 1 } : r));
      const crude: AuditRow = {
        seq: 3,
        body: canonicalJson({ ...entry(99), seq: 3 }),
        prev_hash: rows[1]?.hash ?? "",
        hash: "f".repeat(64),
      };
      await rewrite([...shifted, crude]);
      expect(verifyChain(await log.rows())).toMatchObject({
        ok: false,
        problem: { seq: 3, kind: "inserted" },
      });
      const forged = { ...entry(99), seq: 3 };
      const careful: AuditRow = {
        ...crude,
        body: canonicalJson(forged),
        hash: chainHash(forged, crude.prev_hash),
      };
      await rewrite([...shifted, careful]);
      expect(verifyChain(await log.rows())).toMatchObject({
        ok: false,
        problem: { seq: 3, kind: "inserted" },
      });
    });

    it("keeps the chain verifiable after a purge, behind a signed checkpoint", async () => {
      const keys = keyPair();
      await fill(8);
      await log.purgeThrough(5, keys.sign);
      await log.append(entry(9));
      const rows = await log.rows();
      expect(rows.map((r) => r.seq)).toEqual([6, 7, 8, 9]);
      const checkpoint = await log.checkpoint();
      expect(verifyChain(rows, { checkpoint, verifySignature: keys.verify })).toEqual({
        ok: true,
        records: 4,
      });
      // Without the checkpoint, or with one signed by another key, the purge looks like removal.
      expect(verifyChain(rows)).toMatchObject({ ok: false, problem: { seq: 1, kind: "removed" } });
      expect(verifyChain(rows, { checkpoint, verifySignature: keyPair().verify })).toMatchObject({
        ok: false,
        problem: { kind: "removed" },
      });
      // A log purged to its last record goes on from the checkpoint, after a restart too.
      await log.purgeThrough(9, keys.sign);
      await log.close();
      log = await openAuditStore(temp.configFor("audit"));
      await log.append(entry(10));
      await log.append(entry(11));
      expect((await log.rows()).map((r) => r.seq)).toEqual([10, 11]);
      const latest = await log.checkpoint();
      expect(
        verifyChain(await log.rows(), { checkpoint: latest, verifySignature: keys.verify }),
      ).toEqual({ ok: true, records: 2 });
      // A record deleted just after the cut is still named.
      await log.store.db.deleteFrom("audit_log").where("seq", "=", 10).execute();
      expect(
        verifyChain(await log.rows(), { checkpoint: latest, verifySignature: keys.verify }),
      ).toMatchObject({ ok: false, problem: { seq: 10, kind: "removed" } });
    });
  });
}
