import { Supergraph } from "@apollo/federation-internals";
import { type GraphQLSchema, printSchema } from "graphql";
import type { Authority } from "../ability.ts";
import { deriveChronology } from "../chronology/derive-paths.ts";
import { withChronology } from "../chronology/schema.ts";
import { RoleSchemas } from "../role-schema.ts";

/** The supergraph text does not build an API schema. */
export class NotASupergraphError extends Error {}

/**
 * The SDL of a role set's schema (what introspection shows it on /graphql) under the authority's
 * policy, over the API schema of `supergraphSdl` as the gateway serves it.
 */
export function roleSchemaSdl(options: {
  authority: Authority;
  roles: readonly string[];
  supergraphSdl: string;
}): string {
  const { authority, roles, supergraphSdl } = options;
  let api: GraphQLSchema;
  try {
    api = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
    // As the gateway serves it: with the chronology it answers itself, where the graph declares one.
    const chronology = deriveChronology(supergraphSdl, api);
    if (chronology) api = withChronology(api, chronology);
  } catch (error) {
    throw new NotASupergraphError((error as Error).message);
  }
  const schema = new RoleSchemas().schemaFor(api, authority, roles);
  const nothing = Object.keys(schema.getQueryType()?.getFields() ?? {}).length === 0;
  return [
    `# The schema of ${roles.join(", ")} under policy version ${authority.policy.version}.`,
    ...(nothing ? ["# The sharing agreement gives these roles nothing on /graphql."] : []),
    printSchema(schema),
    "",
  ].join("\n");
}
