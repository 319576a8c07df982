import type { ChainHead } from "./link-batch.ts";
import type { AuditEntry, AuditRecord } from "./record.ts";

/** Links a batch after `head` (read from the store when undefined) and commits it. */
export type WriteBatch = (
  entries: AuditEntry[],
  head: ChainHead | undefined,
) => Promise<{ records: AuditRecord[]; last: ChainHead }>;

export interface GroupCommit {
  /** Resolves with the record's number once the batch holding it has committed. */
  append(entry: AuditEntry): Promise<number>;
  /** Called after each batch commits with the records it held. */
  onCommitted(listener: (records: AuditRecord[]) => void): void;
  /** Resolves once no batch is waiting or being written. */
  drain(): Promise<void>;
}

const afterThisTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

const MAX_ATTEMPTS = 50;
/** Appends waiting when a commit finishes go into the next one together (group commit). */
const MAX_BATCH = 256;

function isDuplicate(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "SQLITE_BUSY";
}

interface Pending {
  entry: AuditEntry;
  resolve: (seq: number) => void;
  reject: (error: Error) => void;
}

/**
 * Batches appends, one `write` each: what arrives while a commit is in flight goes into the next,
 * so many concurrent requests share one durable write and none waits for more than two. A
 * collision on the sequence number (another writer on the same store) forgets the head of the
 * chain and tries again, so the batch is re-linked after what the other writer stored.
 */
export function startGroupCommit(
  write: WriteBatch,
  options: {
    /** The first append waits for the rest of this turn of the event loop (SQLite). */
    waitForTurn: boolean;
  },
): GroupCommit {
  let head: ChainHead | undefined;
  const pending: Pending[] = [];
  let flushing: Promise<void> | undefined;
  const listeners: ((records: AuditRecord[]) => void)[] = [];

  const writeBatch = async (entries: AuditEntry[]): Promise<AuditRecord[]> => {
    for (let attempt = 0; ; attempt++) {
      try {
        const { records, last } = await write(entries, head);
        head = last;
        return records;
      } catch (error) {
        head = undefined;
        if (isDuplicate(error) && attempt < MAX_ATTEMPTS) continue;
        throw error;
      }
    }
  };

  const flush = async () => {
    while (pending.length > 0) {
      const batch = pending.splice(0, MAX_BATCH);
      try {
        const records = await writeBatch(batch.map((p) => p.entry));
        for (const [i, p] of batch.entries()) p.resolve((records[i] as AuditRecord).seq);
        // A listener (NATS) is a courtesy copy; the committed rows are the record.
        for (const listener of listeners) {
          try {
            listener(records);
          } catch {}
        }
      } catch (error) {
        for (const p of batch) p.reject(error as Error);
      }
    }
    flushing = undefined;
  };

  return {
    append(entry) {
      return new Promise<number>((resolve, reject) => {
        pending.push({ entry, resolve, reject });
        // On SQLite the first append waits for the rest of this turn of the event loop (the
        // requests finishing with it) and they share one commit; what comes while the writing
        // thread commits joins the next. PostgreSQL's round trip does that itself.
        flushing ??= options.waitForTurn ? afterThisTurn().then(flush) : flush();
      });
    },
    onCommitted(listener) {
      listeners.push(listener);
    },
    async drain() {
      while (flushing) await flushing;
    },
  };
}
