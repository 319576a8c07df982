import { type GraphQLFieldResolver, type GraphQLSchema, isObjectType } from "graphql";
import type { Officer } from "./officer.ts";

/** What every governance resolver is given about the request. */
export interface GovernanceContext {
  requestId: string;
  officer: Officer;
  /**
   * Writes a governance step (propose, approve, publish...) to the access log before it takes
   * effect; a step that cannot be recorded must not happen, so callers let a failure throw.
   */
  recordStep(step: { action: string; target?: string; reason?: string }): Promise<void>;
}

export type Resolver = GraphQLFieldResolver<unknown, GovernanceContext, Record<string, unknown>>;
export type Resolvers = Record<string, Record<string, Resolver>>;

/** Puts resolver maps on a schema built from SDL; a resolver for a field the SDL lacks is a bug. */
export function attachResolvers(schema: GraphQLSchema, ...maps: Resolvers[]): GraphQLSchema {
  for (const map of maps) {
    for (const [typeName, fields] of Object.entries(map)) {
      const type = schema.getType(typeName);
      if (!type || !isObjectType(type))
        throw new Error(`Governance schema has no type ${typeName}.`);
      const defined = type.getFields();
      for (const [fieldName, resolve] of Object.entries(fields)) {
        const field = defined[fieldName];
        if (!field) throw new Error(`Governance schema has no field ${typeName}.${fieldName}.`);
        field.resolve = resolve as GraphQLFieldResolver<unknown, unknown>;
      }
    }
  }
  return schema;
}
