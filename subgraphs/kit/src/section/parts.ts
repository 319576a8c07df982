import type { Simplify } from "kysely";
import type { Column, ValueOf, ValueTypes } from "./columns.ts";

type Columns = Record<string, Column>;

/**
 * A nested object kept on the person row (a GP practice, an allocated worker): at most one per
 * person. It exists when every `present` column is set; its other required parts then read as
 * set too, which the table's checks make sure of.
 */
export interface NestedObject<F extends Columns, P extends keyof F> extends AnyNestedObject {
  readonly fields: F;
  readonly present: readonly (P & string)[];
}

/** What every nested object has, whatever its fields. */
export interface AnyNestedObject {
  readonly object: string;
  readonly fields: Columns;
  readonly present: readonly string[];
}

/** A nested object on the person row, named by its GraphQL type (what subject counts count). */
export function object<const F extends Columns, const P extends keyof F & string>(
  type: string,
  fields: F,
  present: readonly P[],
): NestedObject<F, P> {
  return { object: type, fields, present };
}

/** What every child table has, whatever its columns: the shape the kit reads at run time. */
export interface AnyChildTable {
  readonly table: string;
  /** The GraphQL type of one row, counted in subject counts; none for a list of values. */
  readonly type?: string;
  readonly columns: Columns;
  readonly key: readonly string[];
  readonly orderBy: readonly string[];
  readonly value?: string;
  /** The hand-written migration that created it, when it came after `0001_initial`. */
  readonly added?: string;
}

/**
 * A child table: many rows per person, read as a list ordered by `orderBy` (field names). Its
 * key is the person and `key` (default `["id"]`); `value` reads each row as that one field's
 * value instead of an object (a list of markers).
 */
export interface ChildTable<T extends string, C extends Columns> extends AnyChildTable {
  readonly table: T;
  readonly columns: C;
  readonly key: readonly (keyof C & string)[];
  readonly orderBy: readonly (keyof C & string)[];
}

interface ChildSpec<T extends string, C extends Columns> {
  table: T;
  type?: string;
  columns: C;
  key?: readonly (keyof C & string)[];
  orderBy: readonly (keyof C & string)[];
  added?: string;
}

export function child<
  const T extends string,
  const C extends Columns,
  const V extends keyof C & string,
>(spec: ChildSpec<T, C> & { value: V }): ChildTable<T, C> & { readonly value: V };
export function child<const T extends string, const C extends Columns>(
  spec: ChildSpec<T, C>,
): ChildTable<T, C>;
export function child(spec: ChildSpec<string, Columns> & { value?: string }): AnyChildTable {
  return { ...spec, key: spec.key ?? ["id"] };
}

/** What a person-row entry reads as: a column's value or null, or a nested object or null. */
export type PersonFieldOf<E> = E extends {
  fields: infer F extends Columns;
  present: readonly (infer P)[];
}
  ? Simplify<{
      -readonly [K in keyof F]: K extends P ? ValueTypes[F[K]["kind"]] : ValueOf<F[K]>;
    }> | null
  : E extends Column<string, infer K>
    ? ValueTypes[K] | null
    : never;

/** One item of a child list. */
export type ChildItemOf<T> = T extends { columns: infer C extends Columns }
  ? T extends { readonly value: infer V extends keyof C }
    ? ValueOf<C[V]>
    : Simplify<{ -readonly [K in keyof C]: ValueOf<C[K]> }>
  : never;

export const isNestedObject = (entry: Column | AnyNestedObject): entry is AnyNestedObject =>
  "object" in entry;
