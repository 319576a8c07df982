import type { Migration } from "kysely";
import type { SubjectCounts } from "../server/agency.ts";
import { countSubjectsIn, type SubjectCountSource } from "../server/subject-counts.ts";
import type { Store } from "../store/open-store.ts";
import {
  type ChildTables,
  checkDeclaration,
  type PersonEntries,
  type SectionDB,
  type SectionDeclaration,
  type SectionOf,
} from "./declaration.ts";
import { sectionMigrations } from "./migration.ts";
import { isNestedObject } from "./parts.ts";
import { loadSectionsOf, unknownSectionOf } from "./query.ts";

/** A declared section and what it derives; SectionDB and SectionOf give its types. */
export interface Section<D extends SectionDeclaration> {
  readonly declaration: D;
  /** Data tables, children before parents: a re-seed empties them in this order. */
  readonly tables: readonly string[];
  /** `0001_initial` derived, then the hand-written later ones. */
  migrations(later?: Record<string, Migration>): Record<string, Migration>;
  loadSections(
    store: Store<SectionDB<D>>,
    ids: readonly string[],
  ): Promise<Map<string, SectionOf<D>>>;
  unknownSection(): SectionOf<D>;
  countSubjects(store: Store<SectionDB<D>>): Promise<SubjectCounts>;
}

/** Where each counted type's records are: the section and nested objects on the person row. */
function countSources(declaration: SectionDeclaration): Record<string, SubjectCountSource> {
  const sources: Record<string, SubjectCountSource> = {
    [declaration.section]: { table: "persons" },
  };
  for (const entry of Object.values(declaration.person.columns))
    if (isNestedObject(entry))
      sources[entry.object] = {
        table: "persons",
        present: entry.present.map((field) => entry.fields[field]?.sql ?? field),
      };
  for (const child of Object.values(declaration.children))
    if (child.type !== undefined) sources[child.type] = { table: child.table };
  return sources;
}

/**
 * Declares an agency's section (see SectionDeclaration) and derives its store from it. Types
 * come from the declaration: `SectionDB<typeof x.declaration>` for the seed,
 * `SectionOf<typeof x.declaration>` for what the graph serves.
 */
export function defineSection<const P extends PersonEntries, const C extends ChildTables>(
  declaration: SectionDeclaration<P, C>,
): Section<SectionDeclaration<P, C>> {
  type D = SectionDeclaration<P, C>;
  checkDeclaration(declaration);
  const sources = countSources(declaration);
  return {
    declaration,
    tables: [
      ...Object.values(declaration.children)
        .map((c) => c.table)
        .reverse(),
      "persons",
    ],
    migrations: (later) => sectionMigrations(declaration, later),
    // The query builds each section to the declaration's shape, which SectionOf describes.
    loadSections: (store, ids) =>
      loadSectionsOf(declaration, store, ids) as Promise<Map<string, SectionOf<D>>>,
    unknownSection: () => unknownSectionOf(declaration) as SectionOf<D>,
    countSubjects: (store) => countSubjectsIn(store, sources),
  };
}
