import {
  buildASTSchema,
  type ConstDirectiveNode,
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  Kind,
  parse,
} from "graphql";
import { InitError } from "./init-error.ts";

/** A directive argument given as a string or enum value. */
export const argOf = (d: ConstDirectiveNode, name: string) => {
  const value = d.arguments?.find((a) => a.name.value === name)?.value;
  return value?.kind === Kind.STRING || value?.kind === Kind.ENUM ? value.value : undefined;
};

/** The supergraph's document and schema; InitError (with the place) when it does not parse. */
export function parseSupergraph(sdl: string): { doc: DocumentNode; schema: GraphQLSchema } {
  let doc: DocumentNode;
  try {
    doc = parse(sdl);
  } catch (error) {
    const at = error instanceof GraphQLError ? error.locations?.[0] : undefined;
    throw new InitError(
      `${at ? `line ${at.line}, column ${at.column}: ` : ""}${(error as Error).message}`,
    );
  }
  try {
    return { doc, schema: buildASTSchema(doc, { assumeValidSDL: true }) };
  } catch (error) {
    throw new InitError((error as Error).message);
  }
}

/** Subgraph names as the join__Graph enum's `@join__graph(name:)` spells them. */
export function readGraphs(doc: DocumentNode): string[] {
  const graphs: string[] = [];
  for (const def of doc.definitions) {
    if (def.kind !== Kind.ENUM_TYPE_DEFINITION || def.name.value !== "join__Graph") continue;
    for (const value of def.values ?? []) {
      const d = value.directives?.find((x) => x.name.value === "join__graph");
      const name = d && argOf(d, "name");
      if (name) graphs.push(name);
    }
  }
  return graphs;
}
