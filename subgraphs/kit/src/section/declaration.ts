import type { RawBuilder, Simplify } from "kysely";
import type { Column, StoredOf, StoredTypes } from "./columns.ts";
import {
  type AnyChildTable,
  type AnyNestedObject,
  type ChildItemOf,
  isNestedObject,
  type PersonFieldOf,
} from "./parts.ts";

/** What the person row holds beside its key, in table order: columns and nested objects. */
export type PersonEntries = Record<string, Column | AnyNestedObject>;
export type ChildTables = Record<string, AnyChildTable>;

/**
 * One agency's section of a subject, declared once: the person row's columns, its child tables,
 * and the GraphQL field each column is read into. The store's tables, first migration, section
 * query, loader, resolver and subject counts are all derived from this.
 */
export interface SectionDeclaration<
  P extends PersonEntries = PersonEntries,
  C extends ChildTables = ChildTables,
> {
  /** The GraphQL type of the section: one per person the agency knows (the `persons` row). */
  readonly section: string;
  /** The field on `Subject` that serves it. */
  readonly field: string;
  readonly person: {
    readonly columns: P;
    /** Named table checks on the person row, as first created: they keep nested objects whole. */
    readonly checks?: Readonly<Record<string, RawBuilder<unknown>>>;
  };
  /** In table creation order; a re-seed empties them in the reverse order, then `persons`. */
  readonly children: C;
}

type PersonColumnsOf<P> = {
  [K in keyof P]: P[K] extends { fields: infer F } ? F[keyof F] : P[K];
}[keyof P];

type PersonRow<P> = { subject_id: string } & {
  -readonly [C in PersonColumnsOf<P> & Column as C["sql"]]: StoredTypes[C["kind"]] | null;
};

type ChildRow<C> = C extends { columns: infer Cols extends Record<string, Column> }
  ? { subject_id: string } & { -readonly [K in keyof Cols as Cols[K]["sql"]]: StoredOf<Cols[K]> }
  : never;

/** The store's tables and rows, as a seed writes them. */
export type SectionDB<D extends SectionDeclaration> = Simplify<
  { persons: Simplify<PersonRow<D["person"]["columns"]>> } & {
    [K in keyof D["children"] as D["children"][K]["table"]]: Simplify<ChildRow<D["children"][K]>>;
  }
>;

/** The section as the resolver serves it. */
export type SectionOf<D extends SectionDeclaration> = Simplify<
  { known: boolean } & {
    -readonly [K in keyof D["person"]["columns"]]: PersonFieldOf<D["person"]["columns"][K]>;
  } & {
    -readonly [K in keyof D["children"]]: ChildItemOf<D["children"][K]>[];
  }
>;

/** Every column of the person row, nested objects' columns in place. */
export function personColumns(declaration: SectionDeclaration): Column[] {
  return Object.values(declaration.person.columns).flatMap((entry) =>
    isNestedObject(entry) ? Object.values(entry.fields) : [entry],
  );
}

/** Refuses a declaration whose names would collide in a table or in the section query. */
export function checkDeclaration(declaration: SectionDeclaration): void {
  const problems: string[] = [];
  const unique = (where: string, names: string[]) => {
    const seen = new Set<string>();
    for (const name of names) {
      if (seen.has(name)) problems.push(`${where} names ${name} twice`);
      seen.add(name);
    }
  };
  const persons = personColumns(declaration).map((c) => c.sql);
  unique("persons", ["subject_id", ...persons]);
  unique("the section query", ["subject_id", ...persons, ...Object.keys(declaration.children)]);
  unique("the section", [
    "known",
    ...Object.keys(declaration.person.columns),
    ...Object.keys(declaration.children),
  ]);
  unique("the tables", ["persons", ...Object.values(declaration.children).map((c) => c.table)]);
  for (const [field, entry] of Object.entries(declaration.person.columns))
    if (isNestedObject(entry)) {
      if (entry.present.length === 0) problems.push(`${field} has no field that says it is there`);
      for (const name of entry.present)
        if (!(name in entry.fields)) problems.push(`${field} has no field ${name}`);
    }
  for (const child of Object.values(declaration.children)) {
    unique(child.table, ["subject_id", ...Object.values(child.columns).map((c) => c.sql)]);
    for (const name of [...child.key, ...child.orderBy, ...(child.value ? [child.value] : [])])
      if (!(name in child.columns)) problems.push(`${child.table} has no field ${String(name)}`);
  }
  if (problems.length > 0)
    throw new Error(
      `The ${declaration.section} declaration is inconsistent: ${problems.join("; ")}.`,
    );
}
