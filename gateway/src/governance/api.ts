import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "@mash/kit";
import { HttpError, readBody, sendJson } from "@mash/kit/http";
import {
  buildSchema,
  execute,
  type GraphQLError,
  type GraphQLFormattedError,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
} from "graphql";
import { requestFacts } from "../audit/collect.ts";
import { type AuditEntry, type AuditOutcome, sha256 } from "../audit/record.ts";
import type { AuditLog } from "../audit/store.ts";
import type { Authority } from "../authz/ability.ts";
import { AuthenticationError, type Verifier } from "../identity/verify.ts";
import { NotAnOfficer, type Officer, officerOf } from "./officer.ts";
import { attachResolvers, type GovernanceContext, type Resolvers } from "./resolvers.ts";

const SDL = readFileSync(new URL("./schema.graphql", import.meta.url), "utf8");

export interface GovernanceApiOptions {
  verify: Verifier;
  authority: () => Authority;
  /** Every governance request and step is recorded here first; without it, nothing is served. */
  audit: AuditLog | undefined;
  resolvers: Resolvers[];
  logger: Logger;
  maxBodyBytes: number;
  maxTokens: number;
}

const refuse = (res: ServerResponse, status: number, code: string, message: string) =>
  sendJson(res, status, { errors: [{ message, extensions: { code } }] });

/**
 * POST /governance/graphql: the governance officers' API (schema.graphql). Plain graphql-js, not
 * the federated graph, so no subject data can be reached from here. Fail closed like the graph:
 * a request is answered only once its record (or its step's record) is in the access log.
 */
export function createGovernanceApi(options: GovernanceApiOptions) {
  const schema = attachResolvers(buildSchema(SDL), meResolvers(), ...options.resolvers);
  const { audit, logger } = options;

  return async (req: IncomingMessage, res: ServerResponse, requestId: string) => {
    if (req.method !== "POST") {
      res.setHeader("allow", "POST");
      refuse(res, 405, "METHOD_NOT_ALLOWED", "The governance API takes POST requests.");
      return;
    }
    let officer: Officer;
    try {
      const principal = await options.verify(req.headers.authorization);
      officer = officerOf(principal, options.authority());
    } catch (error) {
      if (error instanceof AuthenticationError) {
        res.setHeader("www-authenticate", 'Bearer realm="mash-gateway"');
        refuse(res, 401, "UNAUTHENTICATED", error.message);
        return;
      }
      if (error instanceof NotAnOfficer) {
        refuse(res, 403, "FORBIDDEN", error.message);
        return;
      }
      throw error;
    }
    if (!audit) {
      refuse(
        res,
        503,
        "AUDIT_UNAVAILABLE",
        "This gateway keeps no access log, so governance is off.",
      );
      return;
    }

    let body: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      const text = await readBody(req, options.maxBodyBytes);
      body = JSON.parse(text) as typeof body;
      if (!body || typeof body !== "object") throw new SyntaxError("not an object");
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 400;
      refuse(
        res,
        status,
        "BAD_REQUEST",
        `The body must be JSON {query, variables?, operationName?}: ${(error as Error).message}`,
      );
      return;
    }
    if (typeof body.query !== "string") {
      refuse(res, 400, "BAD_REQUEST", "The body has no query string.");
      return;
    }
    const variables =
      body.variables && typeof body.variables === "object"
        ? (body.variables as Record<string, unknown>)
        : undefined;
    const operationName = typeof body.operationName === "string" ? body.operationName : undefined;

    let document: ReturnType<typeof parse>;
    try {
      document = parse(body.query, { maxTokens: options.maxTokens });
    } catch (error) {
      sendJson(res, 400, { errors: [formatted(error as GraphQLError, "GRAPHQL_PARSE_FAILED")] });
      return;
    }
    const invalid = validate(schema, document, specifiedRules);
    if (invalid.length > 0) {
      sendJson(res, 400, { errors: invalid.map((e) => formatted(e, "GRAPHQL_VALIDATION_FAILED")) });
      return;
    }
    const operation = getOperationAST(document, operationName);
    const fields =
      operation?.selectionSet.selections.flatMap((s) =>
        s.kind === "Field" ? [s.name.value] : [],
      ) ?? [];

    let steps = 0;
    const queryText = body.query;
    // Every governance record: who, which request, what was done to which of their agency's things.
    const record = (
      governance: Omit<NonNullable<AuditEntry["governance"]>, "agency">,
      outcome: AuditOutcome,
    ) =>
      audit.append({
        ...requestFacts({ requestId, principal: officer }),
        operationName: operationName ?? null,
        queryHash: sha256(queryText),
        subjects: [],
        released: [],
        withheld: [],
        governance: { ...governance, agency: officer.agency },
        outcome,
      });
    const context: GovernanceContext = {
      requestId,
      officer,
      async recordStep(step) {
        await record(step, "ok");
        steps += 1;
      },
    };
    const result = await execute({
      schema,
      document,
      variableValues: variables,
      operationName,
      contextValue: context,
    });
    // Queries (reading the log, simulating) are recorded as one entry; steps already were.
    if (steps === 0) {
      try {
        await record(
          { action: `${operation?.operation ?? "query"}:${fields.join(",")}` },
          result.errors?.length ? (result.data ? "partial" : "refused") : "ok",
        );
      } catch (error) {
        logger.error("audit record not written; the governance request got no data", {
          rid: requestId,
          error: (error as Error).message,
        });
        refuse(
          res,
          503,
          "AUDIT_UNAVAILABLE",
          "The access log cannot record this request, so no data is returned. Try again shortly.",
        );
        return;
      }
    }
    sendJson(res, 200, {
      ...(result.data !== undefined ? { data: result.data } : {}),
      ...(result.errors?.length
        ? { errors: result.errors.map((e) => formatted(e, "INTERNAL_SERVER_ERROR", logger)) }
        : {}),
    });
  };
}

/** Client errors keep their message; anything else is logged and shown as an internal error. */
function formatted(error: GraphQLError, fallback: string, logger?: Logger): GraphQLFormattedError {
  const code = error.extensions?.code;
  if (typeof code === "string" || !logger) {
    return { ...error.toJSON(), extensions: { ...error.extensions, code: code ?? fallback } };
  }
  logger.error("governance resolver failed", { error: error.message, path: error.path?.join(".") });
  return { message: "Internal error", path: error.path, extensions: { code: fallback } };
}

function meResolvers(): Resolvers {
  return { Query: { me: (_source, _args, context) => context.officer } };
}
