import { createHash } from "node:crypto";
import type { GatewayGraphQLRequestContext } from "@apollo/server-gateway-interface";
import {
  type DocumentNode,
  type ExecutionResult,
  GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  getVariableValues,
  print,
} from "graphql";
import { limitErrors, measureOperation, type QueryLimits } from "../../limits/query-limits.ts";
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
  /**
   * Operations known to ask for no chronology, by document and operation name (one document may
   * hold one operation that asks and one that does not): let through at a lookup's cost.
   */
  private readonly plain = new WeakMap<DocumentNode, Set<string>>();

  /** @param limits measured again on the expanded request: the lists it really reads. */
  constructor(private readonly limits?: QueryLimits) {}

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
    const name = rc.operationName ?? "";
    if (!spec || this.plain.get(rc.document)?.has(name)) return { rc, finish: unchanged };
    let expanded: ReturnType<typeof expandChronology>;
    try {
      // With the variables as the operation declares them (defaults applied, types coerced), so
      // `@skip(if: $x)` and `agencies: $a` mean what graphql would make of them.
      const variables = coercedVariables(rc);
      if ("errors" in variables) return { refused: variables.errors.map(refusal) };
      expanded = expandChronology(rc.schema, spec, rc.document, rc.operationName, variables.values);
    } catch (error) {
      // Input the expansion could not read is the client's to fix: a 400, never a 500.
      if (error instanceof GraphQLError) return { refused: [refusal(error)] };
      throw error;
    }
    if (!expanded) {
      const names = this.plain.get(rc.document) ?? new Set<string>();
      names.add(name);
      this.plain.set(rc.document, names);
      return { rc, finish: unchanged };
    }
    const plan = expanded;
    const operation = getOperationAST(plan.document, rc.operationName) ?? rc.operation;
    if (this.limits) {
      const measured = measureOperation(
        rc.schema,
        operation,
        new Map(),
        this.limits,
        rc.request.variables ?? {},
      );
      const past = limitErrors(measured, this.limits, operation);
      if (past.length > 0) return { refused: past.map(refusal) };
    }
    const text = print(plan.document);
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

/** The request's variables as its operation declares them, or why they do not fit it. */
function coercedVariables(
  rc: GatewayGraphQLRequestContext,
): { values: Record<string, unknown> } | { errors: GraphQLError[] } {
  const operation = getOperationAST(rc.document, rc.operationName);
  if (!operation) return { values: rc.request.variables ?? {} };
  const result = getVariableValues(
    rc.schema,
    operation.variableDefinitions ?? [],
    rc.request.variables ?? {},
  );
  return result.errors ? { errors: [...result.errors] } : { values: result.coerced };
}

/** An error of the client's request as a 400 (Apollo Server reads `extensions.http`). */
function refusal(error: GraphQLError): GraphQLError {
  if (error instanceof ChronologyRefused) return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    extensions: {
      code: "BAD_USER_INPUT",
      ...error.extensions,
      http: { status: 400 },
    },
  });
}
