import type { Kysely } from "kysely";
import { jsonArrayFrom, parseJson } from "../store/json.ts";
import type { Store } from "../store/open-store.ts";
import { type Column, readValue } from "./columns.ts";
import { personColumns, type SectionDeclaration } from "./declaration.ts";
import { type AnyChildTable, type AnyNestedObject, isNestedObject } from "./parts.ts";

type Row = Record<string, unknown>;

/** A person-row column reads as null when nothing is recorded, whatever its kind. */
const personValue = (column: Column, row: Row) =>
  readValue({ ...column, nullable: true }, row[column.sql]);

/** Null unless every `present` column is set; then each part as its column says. */
function nestedValue(entry: AnyNestedObject, row: Row): Row | null {
  if (entry.present.some((field) => (row[entry.fields[field]?.sql ?? ""] ?? null) === null))
    return null;
  return Object.fromEntries(
    Object.entries(entry.fields).map(([field, column]) => [
      field,
      readValue(column, row[column.sql]),
    ]),
  );
}

function childItems(child: AnyChildTable, json: unknown): unknown[] {
  const rows = (parseJson(json as Row[] | string | null) ?? []) as Row[];
  const entries = Object.entries(child.columns);
  const only = child.value === undefined ? undefined : child.columns[child.value];
  if (only) return rows.map((row) => readValue(only, row[only.sql]));
  return rows.map((row) =>
    Object.fromEntries(
      entries.map(([field, column]) => [field, readValue(column, row[column.sql])]),
    ),
  );
}

/**
 * Every requested person's whole section in one statement, however many people are asked for:
 * the person row's columns, and each child table as a JSON list in the same SELECT.
 */
export async function loadSectionsOf<DB>(
  declaration: SectionDeclaration,
  store: Store<DB>,
  ids: readonly string[],
): Promise<Map<string, Row>> {
  // biome-ignore lint/suspicious/noExplicitAny: the tables are named by the declaration at run time; SectionDB types the callers.
  const db = store.db as unknown as Kysely<any>;
  const children = Object.entries(declaration.children);
  const rows: Row[] = await db
    .selectFrom("persons as p")
    .where("p.subject_id", "in", ids)
    .select((eb) => [
      "p.subject_id",
      ...personColumns(declaration).map((c) => `p.${c.sql}`),
      ...children.map(([field, child], i) => {
        const alias = `c${i}`;
        let list = eb
          .selectFrom(`${child.table} as ${alias}`)
          .whereRef(`${alias}.subject_id`, "=", "p.subject_id")
          .select(Object.values(child.columns).map((c) => `${alias}.${c.sql}`));
        for (const field of child.orderBy)
          list = list.orderBy(`${alias}.${child.columns[field]?.sql ?? field}`);
        return jsonArrayFrom(store.dialect, list).as(field);
      }),
    ])
    .execute();

  return new Map(
    rows.map((row) => {
      const section: Row = { known: true };
      for (const [field, entry] of Object.entries(declaration.person.columns))
        section[field] = isNestedObject(entry) ? nestedValue(entry, row) : personValue(entry, row);
      for (const [field, child] of children) section[field] = childItems(child, row[field]);
      return [String(row.subject_id), section];
    }),
  );
}

/** What a person the agency holds nothing on reads as: the same shape, all null or empty. */
export function unknownSectionOf(declaration: SectionDeclaration): Row {
  const section: Row = { known: false };
  for (const field of Object.keys(declaration.person.columns)) section[field] = null;
  for (const field of Object.keys(declaration.children)) section[field] = [];
  return section;
}
