import { composeServices } from "@apollo/composition";
import { type GraphQLError, parse, Source } from "graphql";

export interface SubgraphSdl {
  name: string;
  url: string;
  sdl: string;
}

/** Composition failed: each message names the subgraph, type and field it is about. */
export class CompositionError extends Error {
  constructor(readonly problems: string[]) {
    super(`The subgraphs do not compose:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "CompositionError";
  }
}

function describe(error: GraphQLError): string {
  const code = (error.extensions?.code as string | undefined) ?? "COMPOSITION_ERROR";
  // Apollo's messages name the subgraph in brackets and the coordinate; the locations add lines.
  const where = (error.nodes ?? [])
    .map((node) => node.loc && `${node.loc.source.name}:${node.loc.startToken.line}`)
    .filter(Boolean);
  return `[${code}] ${error.message}${where.length ? ` (at ${where.join(", ")})` : ""}`;
}

/** Composes subgraph schemas into a supergraph with Apollo's composition, or explains why not. */
export function composeSupergraph(subgraphs: SubgraphSdl[]): string {
  const services = subgraphs.map(({ name, url, sdl }) => {
    try {
      // Naming the source after the subgraph makes error locations read "police:12".
      return { name, url, typeDefs: parse(new Source(sdl, name)) };
    } catch (error) {
      throw new CompositionError([
        `[INVALID_GRAPHQL] subgraph "${name}": ${(error as Error).message}`,
      ]);
    }
  });
  const result = composeServices(services);
  if (result.errors) throw new CompositionError(result.errors.map(describe));
  return result.supergraphSdl;
}
