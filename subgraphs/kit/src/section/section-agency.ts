import type { GraphQLScalarType } from "graphql";
import { type DocumentNode, Kind } from "graphql";
import type { Migration } from "kysely";
import { batchLoader } from "../loaders.ts";
import { DateScalar, DateTimeScalar } from "../scalars.ts";
import type { SubgraphContext } from "../server/agency.ts";
import { loadSchema } from "../server/load-schema.ts";
import type { Store } from "../store/open-store.ts";
import type { SectionDB, SectionDeclaration } from "./declaration.ts";
import type { Section } from "./define-section.ts";

const KIT_SCALARS: Record<string, GraphQLScalarType> = {
  Date: DateScalar,
  DateTime: DateTimeScalar,
};

/** The kit's scalar for each scalar the schema declares; one the kit has none for is refused. */
function scalarsIn(typeDefs: DocumentNode): Record<string, GraphQLScalarType> {
  const scalars: Record<string, GraphQLScalarType> = {};
  for (const definition of typeDefs.definitions) {
    if (definition.kind !== Kind.SCALAR_TYPE_DEFINITION) continue;
    const name = definition.name.value;
    const scalar = KIT_SCALARS[name];
    if (!scalar) throw new Error(`The kit has no scalar ${name}.`);
    scalars[name] = scalar;
  }
  return scalars;
}

/**
 * The parts of an agency a declared section derives, to spread into defineAgency beside its
 * name and seed: the schema, migrations, tables, the batch loader, the `Subject.<field>`
 * resolver (and the schema's scalars), and subject counts.
 */
export function sectionAgency<D extends SectionDeclaration>(
  section: Section<D>,
  schema: URL,
  laterMigrations: Record<string, Migration> = {},
) {
  type DB = SectionDB<D>;
  const typeDefs = loadSchema(schema);
  const createLoaders = (store: Store<DB>) => ({
    section: batchLoader((ids) => section.loadSections(store, ids), section.unknownSection),
  });
  type Context = SubgraphContext<DB, ReturnType<typeof createLoaders>>;
  return {
    typeDefs,
    migrations: section.migrations(laterMigrations),
    tables: section.tables,
    createLoaders,
    resolvers: {
      ...scalarsIn(typeDefs),
      Subject: {
        __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
        [section.declaration.field]: (subject: { id: string }, _args: unknown, ctx: Context) =>
          ctx.loaders.section.load(subject.id),
      },
    },
    subjectCounts: (store: Store<DB>) => section.countSubjects(store),
  };
}
