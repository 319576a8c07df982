import type { RawBuilder } from "kysely";

/** What a column holds. A flag is a boolean kept as 0/1, so one schema serves both databases. */
export type ColumnKind = "text" | "int" | "real" | "flag";

/** The value a resolver sees for each kind. */
export interface ValueTypes {
  text: string;
  int: number;
  real: number;
  flag: boolean;
}

/** The value the table holds for each kind: what a seed inserts. */
export interface StoredTypes {
  text: string;
  int: number;
  real: number;
  flag: number;
}

export const SQL_TYPES = {
  text: "text",
  int: "integer",
  real: "double precision",
  flag: "integer",
} as const satisfies Record<ColumnKind, string>;

/** What a required part of a nested object reads as when its column is, against the checks, null. */
export const FALLBACKS: { [K in ColumnKind]: ValueTypes[K] } = {
  text: "",
  int: 0,
  real: 0,
  flag: false,
};

/**
 * One stored column and the GraphQL field it is read into. `nullable` is about the value: a
 * child-table column that is not nullable is NOT NULL; a column on the person row is always
 * nullable in the table, since a person row may record nothing of it.
 */
export interface Column<
  Sql extends string = string,
  Kind extends ColumnKind = ColumnKind,
  Nullable extends boolean = boolean,
> {
  readonly sql: Sql;
  readonly kind: Kind;
  readonly nullable: Nullable;
  /** A column check, as the column was first created with it. */
  readonly check?: RawBuilder<unknown>;
  /**
   * The hand-written migration that added this column to existing stores. A column without it
   * is in `0001_initial`, which never changes once shipped.
   */
  readonly added?: string;
}

export interface ColumnOptions {
  nullable?: boolean;
  check?: RawBuilder<unknown>;
  added?: string;
}

type NullableOf<O extends ColumnOptions> = O["nullable"] extends true ? true : false;

function columnOf<K extends ColumnKind>(kind: K) {
  return <const Sql extends string, const O extends ColumnOptions = { nullable?: false }>(
    sql: Sql,
    options?: O,
  ): Column<Sql, K, NullableOf<O>> => ({
    sql,
    kind,
    nullable: (options?.nullable === true) as NullableOf<O>,
    ...(options?.check ? { check: options.check } : {}),
    ...(options?.added ? { added: options.added } : {}),
  });
}

export const text = columnOf("text");
export const int = columnOf("int");
export const real = columnOf("real");
export const flag = columnOf("flag");

/** The value a column is read as, null where it may be. */
export type ValueOf<C> =
  C extends Column<string, infer K, infer N>
    ? N extends true
      ? ValueTypes[K] | null
      : ValueTypes[K]
    : never;

/** The value a child-table column holds. */
export type StoredOf<C> =
  C extends Column<string, infer K, infer N>
    ? N extends true
      ? StoredTypes[K] | null
      : StoredTypes[K]
    : never;

/** A column's stored value as the section shows it. */
export function readValue(column: Column, stored: unknown): unknown {
  const value = stored === undefined ? null : stored;
  if (column.kind === "flag" && value !== null) return value === true || value === 1;
  if (value === null && !column.nullable) return FALLBACKS[column.kind];
  return value;
}
