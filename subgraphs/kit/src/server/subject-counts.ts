import { type DocumentNode, Kind } from "graphql";
import { sql } from "kysely";
import type { Store } from "../store/open-store.ts";
import type { SubjectCounts } from "./agency.ts";

/** The path beside /graphql and /health where a subgraph answers the gateway's count request. */
export const SUBJECT_COUNTS_PATH = "/subject-counts";

/** What `GET /subject-counts` answers. */
export interface SubjectCountsBody {
  agency: string;
  counts: SubjectCounts;
}

/**
 * Turns one row of `count(...)` columns into numbers. PostgreSQL's count is a bigint, which pg
 * returns as a string and some drivers as a bigint; SQLite's is a number.
 */
export function subjectCountsFrom(row: Record<string, unknown>): SubjectCounts {
  const counts: SubjectCounts = {};
  for (const [type, value] of Object.entries(row)) {
    const n = typeof value === "bigint" ? Number(value) : Number(value ?? 0);
    if (!Number.isSafeInteger(n) || n < 0)
      throw new Error(`The ${type} count is not a whole number of subjects.`);
    counts[type] = n;
  }
  return counts;
}

/** Object type names a schema defines or extends: the only keys an agency may count under. */
export function objectTypeNames(typeDefs: DocumentNode): Set<string> {
  const names = new Set<string>();
  for (const definition of typeDefs.definitions) {
    if (
      definition.kind === Kind.OBJECT_TYPE_DEFINITION ||
      definition.kind === Kind.OBJECT_TYPE_EXTENSION
    )
      names.add(definition.name.value);
  }
  return names;
}

/** Where one type's records are: a table, and the columns that must be set for a record to exist. */
export interface SubjectCountSource {
  table: string;
  /** Columns that are all set when the record exists (nested objects kept in the person row). */
  present?: readonly string[];
}

/**
 * Distinct subjects with at least one record of each type, in one statement and without reading
 * a value: `count(distinct subject_id)` per type, as sub-selects of a single SELECT.
 */
export async function countSubjectsIn<DB>(
  store: Store<DB>,
  sources: Record<string, SubjectCountSource>,
): Promise<SubjectCounts> {
  const columns = Object.entries(sources).map(([type, source]) => {
    const present = (source.present ?? []).map((c) => sql`${sql.ref(c)} is not null`);
    const where = present.length ? sql` where ${sql.join(present, sql` and `)}` : sql``;
    return sql`(select count(distinct subject_id) from ${sql.table(source.table)}${where}) as ${sql.ref(type)}`;
  });
  const result = await sql<Record<string, unknown>>`select ${sql.join(columns)}`.execute(store.db);
  return subjectCountsFrom(result.rows[0] ?? {});
}
