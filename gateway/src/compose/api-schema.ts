import { Supergraph } from "@apollo/federation-internals";
import { printSchema } from "graphql";

const HEADER = [
  "# The schema a client may query on /graphql: the API schema of gateway/supergraph.graphql,",
  "# without federation's directives, join__/link__ types or @inaccessible elements.",
  "# Written by `npm run compose` (`-- --check` fails when it is stale); do not edit.",
  "# Introspection shows each role only what a rule may give it: `npm run schema -- --roles <role>`.",
].join("\n");

/**
 * The client-facing SDL of a supergraph, as the gateway serves it: federation's own API schema
 * (what `@apollo/gateway` validates operations against), printed by graphql-js. Composition
 * orders the supergraph's definitions, so the same subgraphs always print the same text.
 */
export function apiSchemaOf(supergraphSdl: string): string {
  const api = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
  return `${HEADER}\n\n${printSchema(api)}\n`;
}
