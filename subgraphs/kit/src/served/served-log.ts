import type { Kysely } from "kysely";
import type { Logger } from "../logger.ts";
import type { Store } from "../store/open-store.ts";
import { SERVED_TABLE, type ServedRow, type ServedTables } from "./table.ts";

export type ServedEntry = Omit<ServedRow, "id">;

/**
 * The subgraph's own record of what it served and refused, written beside the response, not in
 * its way: entries are queued and inserted in batches. Reliable: a batch that fails to insert is
 * kept and tried again, stop() writes everything queued, and past `capacity` queued entries the
 * subgraph stops serving (`accepting` is false) rather than serve what it cannot account for.
 */
export interface ServedLog {
  /** Queues one entry; refusals beyond half the capacity are counted and logged, not kept. */
  record(entry: ServedEntry): void;
  /** False while the queue is full: the subgraph answers 503 until the store catches up. */
  readonly accepting: boolean;
  /** Writes everything queued so far. */
  flush(): Promise<void>;
  /** Flushes, and stops the timer; entries recorded after are written by a last flush. */
  close(): Promise<void>;
}

export interface ServedLogOptions {
  logger: Logger;
  /** How long an entry may wait for its batch (default 200 ms). */
  flushMs?: number;
  /** Rows per INSERT (default 500: 15 columns, well under SQLite's 32,766 parameters). */
  batchSize?: number;
  /** Queued entries before serving stops (default 50,000). */
  capacity?: number;
}

const RETRY_MS = 1000;

export function createServedLog(store: Store<unknown>, options: ServedLogOptions): ServedLog {
  const db = store.db as unknown as Kysely<ServedTables>;
  const flushMs = options.flushMs ?? 200;
  const batchSize = options.batchSize ?? 500;
  const capacity = options.capacity ?? 50_000;
  const queue: ServedEntry[] = [];
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> | undefined;
  let failing = false;
  // Anyone who reaches the port can be refused, so refusals must not be able to fill the queue
  // and stop the agency serving the gateway: past half the capacity they are only counted.
  let droppedRefusals = 0;
  // A damaged store takes no more statements (store-damage.ts). A request it served must still
  // be on the agency's own record of what it served: the log line carries the entry (who, for
  // which request and purpose, which operation; never a record's value). Refusals, which anyone
  // who reaches the port can cause, are only counted.
  let notRecorded = 0;
  const notKept = (entry: ServedEntry) => {
    notRecorded += 1;
    if (entry.outcome === "served")
      options.logger.error("served log: a served request not recorded, the store being damaged", {
        ...entry,
      });
  };
  const damaged = () => {
    if (!store.damage) return false;
    for (const entry of queue.splice(0)) notKept(entry);
    return true;
  };

  const schedule = (ms: number) => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void flush();
    }, ms);
    // A queued entry must not keep a stopping process alive; close() writes what is left.
    timer.unref();
  };

  const writeQueued = async () => {
    while (queue.length > 0 && !damaged()) {
      const batch = queue.slice(0, batchSize);
      try {
        await db.insertInto(SERVED_TABLE).values(batch).execute();
      } catch (error) {
        if (!failing)
          options.logger.error("served log: cannot write; entries kept and retried", {
            error: (error as Error).message,
            queued: queue.length,
          });
        failing = true;
        throw error;
      }
      queue.splice(0, batch.length);
      if (failing) options.logger.warn("served log: writing again", { queued: queue.length });
      failing = false;
    }
    if (droppedRefusals > 0) {
      options.logger.warn("served log: refusals not recorded while the log was backed up", {
        count: droppedRefusals,
      });
      droppedRefusals = 0;
    }
  };

  const flush = (): Promise<void> => {
    writing ??= writeQueued()
      .catch(() => {
        if (!damaged()) schedule(RETRY_MS);
      })
      .finally(() => {
        writing = undefined;
      });
    return writing;
  };

  return {
    record(entry) {
      if (damaged()) {
        notKept(entry);
        return;
      }
      if (entry.outcome === "refused" && queue.length >= capacity / 2) {
        droppedRefusals += 1;
        return;
      }
      queue.push(entry);
      if (queue.length >= batchSize) void flush();
      else schedule(flushMs);
    },
    get accepting() {
      return queue.length < capacity;
    },
    async flush() {
      // One in flight may have started before the latest entries; go again until none is left.
      while (writing || queue.length > 0) {
        await flush();
        if (failing && !damaged())
          throw new Error("served log: the store does not take the queued entries");
      }
    },
    async close() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      for (let attempt = 0; queue.length > 0 && !damaged() && attempt < 5; attempt++) {
        await flush();
        if (queue.length > 0) await new Promise((r) => setTimeout(r, 200));
      }
      if (queue.length > 0)
        options.logger.error("served log: entries not written at stop", { count: queue.length });
      if (notRecorded > 0)
        options.logger.error("served log: entries not recorded, the store being damaged", {
          count: notRecorded,
        });
    },
  };
}
