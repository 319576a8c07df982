import { Supergraph } from "@apollo/federation-internals";
import { printSchema } from "graphql";
import { deriveChronology } from "../authz/chronology/derive-paths.ts";
import { withChronology } from "../authz/chronology/schema.ts";

const HEADER = [
  "# The schema a client may query on /graphql: the API schema of gateway/supergraph.graphql,",
  "# without federation's directives, join__/link__ types or @inaccessible elements.",
  "# Written by `npm run compose` (`-- --check` fails when it is stale); do not edit.",
  "# Introspection shows each role only what a rule may give it: `npm run schema -- --roles <role>`.",
].join("\n");

/**
 * The client-facing SDL of a supergraph, as the gateway serves it: federation's own API schema
 * (what `@apollo/gateway` plans operations against), with the chronology the supergraph's
 * `@dated` fields declare (the gateway serves it: authz/chronology), printed by graphql-js.
 * Composition orders the supergraph's definitions, so the same subgraphs always print the same
 * text.
 */
export function apiSchemaOf(supergraphSdl: string): string {
  const api = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
  const spec = deriveChronology(supergraphSdl, api);
  const served = spec ? withChronology(api, spec) : api;
  return `${HEADER}\n\n${printSchema(served)}\n`;
}
