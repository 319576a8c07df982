import { generateKeyPairSync } from "node:crypto";
import { type Backend, storeBackends, tempStores } from "@mash/kit/testing";
import { describe, expect, it } from "vitest";
import { agencyRows, notificationRows, subjectRows } from "./index-rows.ts";
import { columnsOf, linkBatch } from "./link-batch.ts";
import { type AuditEntry, type AuditRecord, canonicalJson, chainHash, GENESIS } from "./record.ts";
import { openSqliteAppender } from "./sqlite-append.ts";
import { openAuditStore } from "./store.ts";
import { checkpointSigner } from "./verify.ts";

/** One of each kind of record: an answer with break glass and a flagged person, a refusal, a governance step. */
const entries: AuditEntry[] = [
  {
    at: "2026-01-01T00:00:01.000Z",
    requestId: "req-1",
    userId: "pc.jones",
    agency: "police",
    roles: ["police-officer"],
    enquiryId: "ENQ-2001",
    breakGlassReason: "Child at immediate risk, duty inspector authorised",
    operationName: "SubjectOverview",
    queryHash: "a".repeat(64),
    subjects: ["S-1001", "S-1003"],
    released: [
      { field: "Subject.name", agency: "mash" },
      { field: "Intelligence.summary", agency: "police" },
    ],
    withheld: [
      { field: "Intelligence.source", rule: "police-intelligence-sources", agency: "police" },
    ],
    seen: [
      { agency: "mash", subjects: ["S-1001", "S-1003"] },
      { agency: "police", subjects: ["S-1003"] },
    ],
    held: [{ agency: "police", subjects: ["S-1003"] }],
    flagged: ["S-1003"],
    outcome: "partial",
  },
  {
    at: "2026-01-01T00:00:02.000Z",
    requestId: "req-2",
    userId: "(unauthenticated)",
    agency: null,
    roles: [],
    enquiryId: null,
    breakGlassReason: null,
    operationName: null,
    queryHash: "b".repeat(64),
    subjects: [],
    released: [],
    withheld: [],
    refusal: "BAD_USER_INPUT",
    outcome: "refused",
  },
  {
    at: "2026-01-01T00:00:03.000Z",
    requestId: "req-3",
    userId: "ig.police",
    agency: "police",
    roles: ["governance-officer"],
    enquiryId: null,
    breakGlassReason: null,
    operationName: "AccessLog",
    queryHash: "c".repeat(64),
    subjects: [],
    released: [],
    withheld: [],
    governance: {
      action: "query-access-log",
      agency: "police",
      target: "S-1003",
      reason: 'Weekly review "\u00e9" \\ {[\u2028',
    },
    outcome: "ok",
  },
];

/** The hashes these records had when written by the gateway before issue 14 (its Kysely writer). */
const GOLDEN = [
  "cb68982f44f1f5ceb3418ed556f54bcb003bcf8d8e6da563a5dfd24af6d461f8",
  "80b9e889d38fe21e7ea9c8c502d80cb3228440fdea5bfd412a0bef6348eb2099",
  "3c15c8418bc57f5979e5d35eb85c7094a286d1b6a2f7e83d0fa5b91ce3d381aa",
];

describe("linking a batch", () => {
  it("stores as the body exactly the text it hashes, and hashes as chainHash does", () => {
    const { records, rows, last } = linkBatch(entries, { seq: 0, hash: GENESIS });
    expect(rows.map((r) => r.hash)).toEqual(GOLDEN);
    let previous = GENESIS;
    for (const [i, row] of rows.entries()) {
      const record = records[i] as AuditRecord;
      expect(row.body).toBe(canonicalJson(record));
      expect(row.hash).toBe(chainHash(JSON.parse(row.body) as AuditRecord, previous));
      expect(row).toMatchObject({ seq: i + 1, prev_hash: previous, ...columnsOf(record) });
      previous = row.hash;
    }
    expect(last).toEqual({ seq: 3, hash: GOLDEN[2] });
  });
});

// On SQLite the statements run on the store's writing thread, or on the caller's where no thread
// can be had (sqlite-append-thread.ts): both ways are held to the same rows.
const appendPaths = (await storeBackends()).flatMap(
  ({
    backend,
    unavailable,
  }): {
    backend: Backend;
    unavailable: string | undefined;
    thread: boolean;
    name: string;
  }[] =>
    backend === "sqlite"
      ? [
          { backend, unavailable, thread: true, name: "sqlite, on its writing thread" },
          { backend, unavailable, thread: false, name: "sqlite, on the caller's thread" },
        ]
      : [{ backend, unavailable, thread: true, name: backend }],
);

for (const { backend, unavailable, thread, name } of appendPaths) {
  describe.skipIf(unavailable)(`the append path on ${name}`, () => {
    it("writes the records, search columns, index rows and notifications as before", async () => {
      const temp = tempStores(backend);
      const log = await openAuditStore(temp.configFor("audit"), { thread });
      try {
        expect(log.writer).toBe(
          backend === "postgres" ? "postgres" : thread ? "thread" : "event loop",
        );
        // One batch of two, then one alone: batched and single appends link the same.
        await Promise.all([
          log.append(entries[0] as AuditEntry),
          log.append(entries[1] as AuditEntry),
        ]);
        await log.append(entries[2] as AuditEntry);
        const { db } = log.store;
        const logRows = await db.selectFrom("audit_log").selectAll().orderBy("seq").execute();
        const records = entries.map((e, i): AuditRecord => ({ ...e, seq: i + 1 }));
        expect(logRows.map((r) => r.hash)).toEqual(GOLDEN);
        expect(logRows.map((r) => ({ ...r, seq: Number(r.seq) }))).toEqual(
          records.map((record, i) => ({
            seq: record.seq,
            body: canonicalJson(record),
            prev_hash: i === 0 ? GENESIS : GOLDEN[i - 1],
            hash: GOLDEN[i],
            ...columnsOf(record),
          })),
        );
        const numbered = <T extends { seq: number }>(rows: T[]) =>
          rows.map((r) => ({ ...r, seq: Number(r.seq) }));
        expect(
          numbered(
            await db
              .selectFrom("audit_agency")
              .selectAll()
              .orderBy("seq")
              .orderBy("agency")
              .execute(),
          ),
        ).toEqual(
          records
            .flatMap(agencyRows)
            .sort((a, b) => a.seq - b.seq || a.agency.localeCompare(b.agency)),
        );
        expect(
          numbered(
            await db
              .selectFrom("audit_subject")
              .selectAll()
              .orderBy("seq")
              .orderBy("subject_id")
              .execute(),
          ),
        ).toEqual(records.flatMap(subjectRows));
        const notifications = records.flatMap(notificationRows);
        expect(notifications).toHaveLength(1);
        expect(
          numbered(await db.selectFrom("audit_notification").selectAll().orderBy("id").execute()),
        ).toEqual(notifications);
      } finally {
        await log.close();
        await temp.cleanup();
      }
    });

    it("appends while another transaction on the store spans a turn of the event loop", async () => {
      const temp = tempStores(backend);
      const log = await openAuditStore(temp.configFor("audit"), { thread });
      try {
        await log.append(entries[0] as AuditEntry);
        const { db } = log.store;
        const appended = await db.transaction().execute(async (trx) => {
          await trx.selectFrom("audit_log").select("seq").execute();
          const seq = log.append(entries[1] as AuditEntry);
          // The append's batch is due meanwhile; on SQLite it must wait for this transaction,
          // whose write would otherwise find the file changed under its read (SQLITE_BUSY).
          await new Promise((resolve) => setTimeout(resolve, 20));
          await trx.deleteFrom("audit_subject").where("seq", "<", 0).execute();
          return { seq }; // not awaited here: the append waits for this transaction to end
        });
        expect(await appended.seq).toBe(2);
        expect((await log.rows()).map((r) => r.seq)).toEqual([1, 2]);
      } finally {
        await log.close();
        await temp.cleanup();
      }
    });

    it("appends while a purge's transaction is open, and both finish", async () => {
      const temp = tempStores(backend);
      const log = await openAuditStore(temp.configFor("audit"), { thread });
      try {
        for (const entry of entries) await log.append(entry);
        const { privateKey } = generateKeyPairSync("ed25519");
        const sign = checkpointSigner(
          privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
        );
        // The purge signs inside its transaction, having read the chain: an append asked for
        // then must wait for the purge to commit rather than write under it.
        const appended: Promise<number>[] = [];
        const cut = await log.purgeThrough(2, (body) => {
          for (const e of entries)
            appended.push(log.append({ ...e, requestId: `${e.requestId}-again` }));
          return sign(body);
        });
        expect(cut.seq).toBe(2);
        expect(await Promise.all(appended)).toEqual([4, 5, 6]);
        expect((await log.rows()).map((r) => r.seq)).toEqual([3, 4, 5, 6]);
      } finally {
        await log.close();
        await temp.cleanup();
      }
    });
  });
}

describe("the SQLite appender", () => {
  it("writes the appends of one turn of the event loop in one commit", async () => {
    const temp = tempStores("sqlite");
    const log = await openAuditStore(temp.configFor("audit"));
    try {
      const batches: number[] = [];
      log.onCommitted((records) => batches.push(records.length));
      // As requests finishing in one turn append: none waits for another's commit.
      const seqs = await Promise.all(entries.map((e) => log.append(e)));
      expect(seqs).toEqual([1, 2, 3]);
      expect(batches).toEqual([3]);
    } finally {
      await log.close();
      await temp.cleanup();
    }
  });

  it("commits as MASH_AUDIT_SQLITE_SYNC asks: NORMAL, or FULL", async () => {
    const temp = tempStores("sqlite");
    try {
      const config = temp.configFor("audit");
      const log = await openAuditStore(config);
      await log.close();
      if (config.kind !== "sqlite") throw new Error("a SQLite store");
      for (const [fullSync, level] of [
        [false, 1],
        [true, 2],
      ] as const) {
        const appender = openSqliteAppender(config.file, { fullSync });
        try {
          expect(appender.synchronous).toBe(level);
        } finally {
          appender.close();
        }
      }
    } finally {
      await temp.cleanup();
    }
  });
});
