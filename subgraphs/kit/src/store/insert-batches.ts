import type { Kysely } from "kysely";

/**
 * Inserts rows in multi-row statements. PostgreSQL allows 65,535 bind parameters a statement and
 * SQLite 32,766, so the batch size follows from the row width.
 */
export async function insertBatches<DB, T extends keyof DB & string>(
  db: Kysely<DB>,
  table: T,
  rows: readonly Record<string, unknown>[],
  onProgress?: (done: number) => void,
): Promise<void> {
  if (rows.length === 0) return;
  const width = Object.keys(rows[0] ?? {}).length || 1;
  const size = Math.max(1, Math.floor(30_000 / width));
  for (let i = 0; i < rows.length; i += size) {
    const chunk = rows.slice(i, i + size);
    await db
      .insertInto(table)
      // biome-ignore lint/suspicious/noExplicitAny: rows come from each agency's typed seed mapper; Kysely cannot name a generic table's insert type.
      .values(chunk as any)
      .execute();
    onProgress?.(Math.min(rows.length, i + size));
  }
}
