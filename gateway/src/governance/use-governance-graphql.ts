import type { Logger } from "@mash/kit";
import {
  execute,
  GraphQLError,
  type GraphQLFormattedError,
  type GraphQLSchema,
  getOperationAST,
  getVariableValues,
  Kind,
  parse,
  specifiedRules,
  validate,
} from "graphql";

import { requestFacts } from "../audit/collect.ts";
import { type AuditOutcome, sha256 } from "../audit/record.ts";
import type { AuditLog } from "../audit/store.ts";
import { OperationRefused, shownToClients } from "../errors/catalogue.ts";
import { replyJson, type Stage } from "../pipeline/pipeline.ts";
import type { Principal } from "../request/context.ts";
import type { Officer } from "./officer.ts";
import type { GovernanceContext } from "./resolvers.ts";

/** What the governance stages learn about one request. */
export interface GovernanceRequest {
  requestId: string;
  principal: Principal;
  officer?: Officer;
  /** Steps recorded (each its own record); none means the request's record is still to write. */
  steps: number;
  /** What the officer did, for the record: `query:accessLog`, `mutation:propose`. */
  action?: string;
  outcome?: AuditOutcome;
}

/**
 * The governance schema's own execution. A mutation changes one thing per request, so a request
 * is exactly one record: its step's, written before the step takes effect.
 */
export function useGovernanceGraphQL(options: {
  schema: GraphQLSchema;
  audit: AuditLog;
  logger: Logger;
  maxTokens: number;
}): Stage<GovernanceRequest> {
  return {
    name: "governance",
    async onRequest(request) {
      const state = request.context;
      const officer = state?.officer;
      if (!state || !officer) throw new Error("governance runs for officers only");
      const payload = request.payload;
      if (typeof payload?.query !== "string")
        throw new OperationRefused("BAD_REQUEST", [
          new GraphQLError(
            "The body must be JSON {query, variables?, operationName?} with a query string.",
          ),
        ]);
      let document: ReturnType<typeof parse>;
      try {
        document = parse(payload.query, { maxTokens: options.maxTokens });
      } catch (error) {
        throw new OperationRefused("GRAPHQL_PARSE_FAILED", [error as GraphQLError]);
      }
      const invalid = validate(options.schema, document, specifiedRules);
      if (invalid.length > 0) throw new OperationRefused("GRAPHQL_VALIDATION_FAILED", invalid);
      const operation = getOperationAST(document, payload.operationName);
      if (!operation)
        throw new OperationRefused("OPERATION_RESOLUTION_FAILURE", [
          new GraphQLError(
            "Name the operation to run in operationName: the document holds several, or none by that name.",
          ),
        ]);
      const fields = operation.selectionSet.selections.flatMap((s) =>
        s.kind === Kind.FIELD ? [s.name.value] : [],
      );
      if (operation.operation === "mutation" && operation.selectionSet.selections.length !== 1)
        throw new OperationRefused("BAD_USER_INPUT", [
          new GraphQLError(
            "Make one change per request: a governance mutation selects exactly one field.",
          ),
        ]);
      // Variables that do not fit their types are the officer's mistake, said before anything runs.
      const coerced = getVariableValues(
        options.schema,
        operation.variableDefinitions ?? [],
        payload.variables ?? {},
        { maxErrors: 10 },
      );
      if (coerced.errors) throw new OperationRefused("BAD_USER_INPUT", coerced.errors);
      state.action = `${operation.operation}:${fields.join(",")}`;
      const context: GovernanceContext = {
        requestId: request.requestId,
        officer,
        async recordStep(step) {
          await options.audit.append({
            ...requestFacts({ requestId: request.requestId, principal: state.principal }),
            operationName: payload.operationName ?? null,
            queryHash: sha256(payload.query as string),
            subjects: [],
            released: [],
            withheld: [],
            governance: { ...step, agency: officer.agency },
            outcome: "ok",
          });
          state.steps += 1;
        },
      };
      const result = await execute({
        schema: options.schema,
        document,
        variableValues: payload.variables,
        operationName: payload.operationName,
        contextValue: context,
      });
      state.outcome = result.errors?.length ? (result.data ? "partial" : "refused") : "ok";
      request.reply = replyJson(200, {
        ...(result.data !== undefined ? { data: result.data } : {}),
        ...(result.errors?.length
          ? { errors: result.errors.map((e) => formatted(e, options.logger, request.requestId)) }
          : {}),
      });
      return undefined;
    },
  };
}

/** Client errors keep their message; anything else is logged and shown as an internal error. */
function formatted(error: GraphQLError, logger: Logger, rid: string): GraphQLFormattedError {
  const code = error.extensions?.code;
  if (shownToClients(code)) return error.toJSON();
  logger.error("governance resolver failed", {
    rid,
    error: error.message,
    path: error.path?.join("."),
  });
  return {
    message: "Internal error: quote the X-Request-Id response header to support.",
    path: error.path,
    extensions: { code: "INTERNAL_SERVER_ERROR" },
  };
}
