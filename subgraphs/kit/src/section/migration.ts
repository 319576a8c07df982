import type { ColumnDefinitionBuilder, CreateTableBuilder, Kysely, Migration } from "kysely";
import { type Column, SQL_TYPES } from "./columns.ts";
import { personColumns, type SectionDeclaration } from "./declaration.ts";

const INITIAL = "0001_initial";

type Build = (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;

/** How a column is defined: NOT NULL unless its value may be null, and its check if it has one. */
function definition(column: Column, notNull: boolean): Build | undefined {
  const { check } = column;
  if (!notNull && !check) return undefined;
  return (c) => {
    const required = notNull ? c.notNull() : c;
    return check ? required.check(check) : required;
  };
}

function addColumns(
  table: CreateTableBuilder<string, string>,
  columns: readonly Column[],
  inTable: boolean,
): CreateTableBuilder<string, string> {
  let built = table;
  for (const column of columns.filter((c) => c.added === undefined))
    built = built.addColumn(
      column.sql,
      SQL_TYPES[column.kind],
      definition(column, inTable && !column.nullable),
    );
  return built;
}

/**
 * `0001_initial` as the declaration's columns define it, less what later migrations added: the
 * same statements stores were first created with, so existing stores are never out of step.
 */
export function initialMigration(declaration: SectionDeclaration): Migration {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then, not today's types.
    async up(db: Kysely<any>) {
      let persons = db.schema
        .createTable("persons")
        .addColumn("subject_id", "text", (c) => c.primaryKey());
      persons = addColumns(persons, personColumns(declaration), false);
      for (const [name, check] of Object.entries(declaration.person.checks ?? {}))
        persons = persons.addCheckConstraint(name, check);
      await persons.execute();
      for (const child of Object.values(declaration.children)) {
        if (child.added !== undefined) continue;
        const table = db.schema
          .createTable(child.table)
          .addColumn("subject_id", "text", (c) => c.notNull().references("persons.subject_id"));
        const key = child.key.map((field) => child.columns[field]?.sql ?? field);
        await addColumns(table, Object.values(child.columns), true)
          .addPrimaryKeyConstraint(`${child.table}_pk`, ["subject_id", ...key])
          .execute();
      }
    },
  };
}

/**
 * The agency's migrations: the derived first one and the hand-written later ones. A column or
 * table that names a later migration it came with must find it here, or a new store would lack it.
 */
export function sectionMigrations(
  declaration: SectionDeclaration,
  later: Record<string, Migration> = {},
): Record<string, Migration> {
  if (INITIAL in later) throw new Error(`${INITIAL} is derived from the declaration.`);
  const added = [
    ...personColumns(declaration),
    ...Object.values(declaration.children).flatMap((c) => [c, ...Object.values(c.columns)]),
  ].flatMap((part) => (part.added === undefined ? [] : [part.added]));
  const missing = added.filter((name) => !(name in later));
  if (missing.length > 0)
    throw new Error(
      `The ${declaration.section} declaration names missing migrations: ${missing.join(", ")}.`,
    );
  return { [INITIAL]: initialMigration(declaration), ...later };
}
