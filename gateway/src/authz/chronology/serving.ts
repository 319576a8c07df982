import { createHash } from "node:crypto";
import type { GatewayGraphQLRequestContext } from "@apollo/server-gateway-interface";
import {
  type DocumentNode,
  type ExecutionResult,
  type GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  print,
} from "graphql";
import { deriveChronology } from "./derive-paths.ts";
import { expandChronology } from "./expand.ts";
import { ChronologyRefused } from "./refused.ts";
import { reshapeChronology } from "./reshape.ts";
import { chronologyOf, withChronology } from "./schema.ts";

/** What the wrapped gateway's schema listeners are told. */
export interface SchemaContext {
  apiSchema: GraphQLSchema;
  coreSupergraphSdl: string;
}

/** A request as the judged pass is to run it, and how its answer is made the client's again. */
export type Expansion =
  | {
      refused?: undefined;
      rc: GatewayGraphQLRequestContext;
      finish: (r: ExecutionResult) => ExecutionResult;
    }
  | { refused: GraphQLError[] };

const unchanged = (result: ExecutionResult) => result;

/**
 * The chronology as the authorizing gateway serves it: the field added to the API schema each
 * time the supergraph loads, and each request that asks for it expanded into the agencies' own
 * fields before the authorization rewrite, then reshaped after the judged pass.
 */
export class ChronologyServing {
  private readonly extended = new WeakMap<GraphQLSchema, GraphQLSchema>();
  /** Documents known to ask for no chronology: most of them, let through at a lookup's cost. */
  private readonly plain = new WeakSet<DocumentNode>();

  /** The schema event with the API schema as served; the same schema object for the same API. */
  served<T extends SchemaContext>(context: T): T {
    return { ...context, apiSchema: this.extend(context.apiSchema, context.coreSupergraphSdl) };
  }

  /** The served schema for an API schema an event has shown; the API schema itself before. */
  schemaFor(api: GraphQLSchema): GraphQLSchema {
    return this.extended.get(api) ?? api;
  }

  private extend(api: GraphQLSchema, supergraphSdl: string): GraphQLSchema {
    let served = this.extended.get(api);
    if (!served) {
      const spec = deriveChronology(supergraphSdl, api);
      served = spec ? withChronology(api, spec) : api;
      this.extended.set(api, served);
    }
    return served;
  }

  expand(rc: GatewayGraphQLRequestContext): Expansion {
    const spec = chronologyOf(rc.schema);
    if (!spec || this.plain.has(rc.document)) return { rc, finish: unchanged };
    let expanded: ReturnType<typeof expandChronology>;
    try {
      expanded = expandChronology(
        rc.schema,
        spec,
        rc.document,
        rc.operationName,
        rc.request.variables ?? {},
      );
    } catch (error) {
      if (error instanceof ChronologyRefused) return { refused: [error] };
      throw error;
    }
    if (!expanded) {
      this.plain.add(rc.document);
      return { rc, finish: unchanged };
    }
    const plan = expanded;
    const text = print(plan.document);
    const operation = getOperationAST(plan.document, rc.operationName) ?? rc.operation;
    return {
      rc: {
        ...rc,
        document: plan.document,
        operation,
        queryHash: createHash("sha256").update(text).digest("hex"),
      } as GatewayGraphQLRequestContext,
      finish: (result) => reshapeChronology(plan, result),
    };
  }
}
