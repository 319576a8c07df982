import type { Kysely } from "kysely";
import { agencyRows, notificationRows, subjectRows } from "./index-rows.ts";
import { columnsOf } from "./link-batch.ts";
import type { AuditRecord } from "./record.ts";
import type { AuditTables } from "./store.ts";

export type DerivedReport = { ok: true } | { ok: false; seq: number; message: string };

/**
 * The chain covers each record's body; governance queries read the columns, access index and
 * notifications derived from it. This recomputes all three from the bodies and names the first
 * record whose derived rows were edited, added or removed, so a forged index cannot hide an
 * access from an officer's search unnoticed.
 */
export async function verifyDerived(db: Kysely<AuditTables>): Promise<DerivedReport> {
  const log = await db.selectFrom("audit_log").selectAll().orderBy("seq").execute();
  const access = new Map<number, string[]>();
  const add = (seq: number, key: string) => access.set(seq, [...(access.get(seq) ?? []), key]);
  for (const r of await db.selectFrom("audit_agency").selectAll().execute())
    add(Number(r.seq), `agency|${r.agency}`);
  for (const r of await db.selectFrom("audit_subject").selectAll().execute())
    add(Number(r.seq), `subject|${r.subject_id}`);
  const notes = new Map<number, string[]>();
  for (const r of await db.selectFrom("audit_notification").selectAll().execute()) {
    const seq = Number(r.seq);
    notes.set(seq, [...(notes.get(seq) ?? []), `${r.id}|${r.agency}|${r.body}`]);
  }
  const same = (a: string[] | undefined, b: string[]) =>
    JSON.stringify([...(a ?? [])].sort()) === JSON.stringify([...b].sort());
  const known = new Set<number>();
  for (const row of log) {
    const seq = Number(row.seq);
    known.add(seq);
    let record: AuditRecord;
    try {
      record = JSON.parse(row.body) as AuditRecord;
    } catch {
      return { ok: false, seq, message: `record ${seq} cannot be read` };
    }
    const columns = columnsOf(record);
    for (const [name, value] of Object.entries(columns) as [keyof typeof columns, unknown][]) {
      const stored =
        row[name] === null
          ? null
          : name === "break_glass" || name === "governance"
            ? Number(row[name])
            : row[name];
      if (stored !== value)
        return {
          ok: false,
          seq,
          message: `record ${seq}'s ${name} column does not match the record`,
        };
    }
    const index = [
      ...agencyRows(record).map((r) => `agency|${r.agency}`),
      ...subjectRows(record).map((r) => `subject|${r.subject_id}`),
    ];
    if (!same(access.get(seq), index))
      return {
        ok: false,
        seq,
        message: `record ${seq}'s access index rows do not match the record`,
      };
    const expected = notificationRows(record).map((r) => `${r.id}|${r.agency}|${r.body}`);
    if (!same(notes.get(seq), expected))
      return {
        ok: false,
        seq,
        message: `record ${seq}'s owner notifications do not match the record`,
      };
  }
  for (const seq of [...access.keys(), ...notes.keys()])
    if (!known.has(seq))
      return {
        ok: false,
        seq,
        message: `index or notification rows for record ${seq}, which is not in the log`,
      };
  return { ok: true };
}
