import { readdirSync, readFileSync } from "node:fs";
import { tempStores } from "@mash/kit/testing";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import type { AuditEntry } from "./record.ts";
import { GENESIS } from "./record.ts";
import { openSqliteAppender } from "./sqlite-append.ts";
import { startThreadedAppender, WRITER_THREAD_NAME } from "./sqlite-append-thread.ts";
import { openAuditStore } from "./store.ts";
import { verifyChain } from "./verify.ts";

const entry = (i: number, subjects: string[]): AuditEntry => ({
  at: `2026-01-01T00:00:${String(i).padStart(2, "0")}.000Z`,
  requestId: `req-${i}`,
  userId: "sw.patel",
  agency: "childrens-services",
  roles: ["social_worker"],
  enquiryId: "ENQ-2001",
  breakGlassReason: i % 2 ? "Child at immediate risk, duty manager approval" : null,
  operationName: "List",
  queryHash: "d".repeat(64),
  subjects,
  released: [
    { field: "Subject.name", agency: "mash" },
    { field: "PoliceRecord.known", agency: "police" },
  ],
  withheld: [{ field: "Subject.address", rule: "default-deny", agency: "mash" }],
  seen: [
    { agency: "mash", subjects },
    { agency: "police", subjects: subjects.slice(0, 1) },
  ],
  held: [{ agency: "mash", subjects }],
  flagged: subjects.slice(1, 2),
  outcome: "partial",
});

const batches = [
  [entry(1, ["S-1001", "S-1002", "S-1003"]), entry(2, ["S-1002"])],
  [entry(3, ["S-1004", "S-1001"])],
];

/** Every row of every table the appends write, in a stable order. */
function tables(file: string) {
  const db = new Database(file, { readonly: true });
  try {
    return ["audit_log", "audit_agency", "audit_subject", "audit_notification"].map((t) =>
      db.prepare(`select * from ${t} order by rowid`).all(),
    );
  } finally {
    db.close();
  }
}

async function freshFile(temp: ReturnType<typeof tempStores>, name: string) {
  const config = temp.configFor(name);
  if (config.kind !== "sqlite") throw new Error("a SQLite store");
  await (await openAuditStore(config, { thread: false })).close();
  return config.file;
}

describe("the access log's writing thread", () => {
  it("writes the very rows the appender on the caller's thread writes", async () => {
    const temp = tempStores("sqlite");
    try {
      const here = await freshFile(temp, "here");
      const there = await freshFile(temp, "there");
      const appender = openSqliteAppender(here, { fullSync: false });
      let head = { seq: 0, hash: GENESIS };
      for (const batch of batches) head = appender.append(batch, head).last;
      appender.close();
      const thread = await startThreadedAppender(there, { fullSync: false });
      if (!thread) throw new Error("no writing thread");
      let threadHead: typeof head | undefined;
      for (const batch of batches) threadHead = (await thread.append(batch, threadHead)).last;
      await thread.close();
      expect(threadHead).toEqual(head);
      const written = tables(there);
      expect(written).toEqual(tables(here));
      expect(written.map((rows) => rows.length)).toEqual([3, 6, 6, 2]);
    } finally {
      await temp.cleanup();
    }
  });

  it("links a batch again after the head it finds when another writer appended meanwhile", async () => {
    const temp = tempStores("sqlite");
    try {
      const file = await freshFile(temp, "audit");
      const thread = await startThreadedAppender(file, { fullSync: false });
      if (!thread) throw new Error("no writing thread");
      const first = await thread.append(batches[0] as AuditEntry[], undefined);
      const other = openSqliteAppender(file, { fullSync: false });
      other.append([entry(9, ["S-1009"])], first.last);
      other.close();
      // Linked after the head it last wrote, which is no longer the chain's head.
      const { records } = await thread.append(batches[1] as AuditEntry[], first.last);
      await thread.close();
      expect(records.map((r) => [r.seq, r.requestId])).toEqual([[4, "req-3"]]);
      const store = await openAuditStore({ kind: "sqlite", file }, { thread: false });
      try {
        const rows = await store.rows();
        expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
        expect(verifyChain(rows).ok).toBe(true);
      } finally {
        await store.close();
      }
    } finally {
      await temp.cleanup();
    }
  });

  /** This process's threads by id, with the names Linux keeps for them. */
  const threads = () => {
    const all = new Map<string, string>();
    for (const tid of readdirSync("/proc/self/task")) {
      try {
        all.set(tid, readFileSync(`/proc/self/task/${tid}/comm`, "utf8").trim());
      } catch {
        // A thread that ended between the listing and the read: no longer one of them.
      }
    }
    return all;
  };
  const named = (all: Map<string, string>) =>
    [...all].filter(([, name]) => name === WRITER_THREAD_NAME).map(([tid]) => tid);

  // Linux only, as the system is (its packages are Debian's).
  it("names its own thread, so top -H and the bench tell it from the event loop", async () => {
    const temp = tempStores("sqlite");
    try {
      const before = threads();
      const thread = await startThreadedAppender(await freshFile(temp, "audit"), {
        fullSync: false,
      });
      if (!thread) throw new Error("no writing thread");
      const during = threads();
      // One more thread of that name, and a new one: not the caller's renamed.
      expect(named(during)).toHaveLength(named(before).length + 1);
      const renamed = named(during).filter((tid) => !named(before).includes(tid));
      expect(renamed).toHaveLength(1);
      expect(before.has(renamed[0] as string)).toBe(false);
      expect(during.get(String(process.pid))).toBe(before.get(String(process.pid)));
      await thread.close();
      // Joined, the thread can still be listed for a moment: its name goes with it.
      for (let i = 0; i < 100 && named(threads()).length > named(before).length; i++)
        await new Promise((resolve) => setTimeout(resolve, 10));
      expect(named(threads())).toEqual(named(before));
    } finally {
      await temp.cleanup();
    }
  });

  it("refuses every append once stopped, so none is answered unrecorded", async () => {
    const temp = tempStores("sqlite");
    try {
      const thread = await startThreadedAppender(await freshFile(temp, "audit"), {
        fullSync: false,
      });
      if (!thread) throw new Error("no writing thread");
      expect(thread.stopped).toBe(false);
      await thread.close();
      expect(thread.stopped).toBe(true);
      await expect(thread.append(batches[0] as AuditEntry[], undefined)).rejects.toThrow(/stopped/);
    } finally {
      await temp.cleanup();
    }
  });
});
