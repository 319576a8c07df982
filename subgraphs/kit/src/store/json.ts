import type { SelectQueryBuilder, Simplify } from "kysely";
import { jsonArrayFrom as pgArray, jsonObjectFrom as pgObject } from "kysely/helpers/postgres";
import {
  jsonArrayFrom as sqliteArray,
  jsonObjectFrom as sqliteObject,
} from "kysely/helpers/sqlite";
import type { Dialect } from "./open-store.ts";

/**
 * Nested rows as JSON in the same statement, whichever database: this is how an agency reads all
 * of a section's tables for N subjects in one query.
 */
// biome-ignore lint/suspicious/noExplicitAny: any database and tables; only the selected row type matters here.
type Subquery<O> = SelectQueryBuilder<any, any, O>;

export function jsonArrayFrom<O>(dialect: Dialect, expr: Subquery<O>) {
  return dialect === "postgres" ? pgArray(expr) : sqliteArray(expr);
}

export function jsonObjectFrom<O>(dialect: Dialect, expr: Subquery<O>) {
  return dialect === "postgres" ? pgObject(expr) : sqliteObject(expr);
}

/** SQLite hands JSON back as text, PostgreSQL as parsed values; callers see parsed values. */
export function parseJson<T>(value: T | string | null | undefined): Simplify<T> | null {
  if (value === null || value === undefined) return null;
  return (typeof value === "string" ? JSON.parse(value) : value) as Simplify<T>;
}
