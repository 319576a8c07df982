import type { GraphQLError } from "graphql";

/**
 * Every error code the gateway answers with, once: its HTTP status when it ends a request, and
 * whether its message was written for clients (shown as written) or is a fault (masked, logged).
 * Formatting, statuses and the access log's refusal codes all derive from this table.
 */
export const ERROR_CODES = {
  // Refused before any GraphQL ran.
  UNAUTHENTICATED: { status: 401, client: true },
  FORBIDDEN: { status: 403, client: true },
  BREAK_GLASS_NOT_PERMITTED: { status: 403, client: true },
  FORBIDDEN_ORIGIN: { status: 403, client: true },
  METHOD_NOT_ALLOWED: { status: 405, client: true },
  PAYLOAD_TOO_LARGE: { status: 413, client: true },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, client: true },
  RATE_LIMITED: { status: 429, client: true },
  BAD_REQUEST: { status: 400, client: true },
  // The operation itself is wrong.
  GRAPHQL_PARSE_FAILED: { status: 400, client: true },
  GRAPHQL_VALIDATION_FAILED: { status: 400, client: true },
  OPERATION_RESOLUTION_FAILURE: { status: 400, client: true },
  QUERY_TOO_COMPLEX: { status: 400, client: true },
  PERSISTED_QUERY_NOT_FOUND: { status: 400, client: true },
  PERSISTED_QUERY_NOT_SUPPORTED: { status: 400, client: true },
  BAD_USER_INPUT: { status: 400, client: true },
  // Governance refusals, inside a GraphQL answer.
  NOT_FOUND: { status: 200, client: true },
  BAD_STATE: { status: 200, client: true },
  INVALID_POLICY: { status: 200, client: true },
  INVALID_POLICY_TESTS: { status: 200, client: true },
  SUBJECT_COUNTS_UNAVAILABLE: { status: 200, client: true },
  // Part of an answer is missing, and the answer says why.
  UNAUTHORIZED_FIELD_OR_TYPE: { status: 200, client: true },
  AGENCY_UNAVAILABLE: { status: 200, client: true },
  // Written by the gateway's formatter in place of a subgraph's own message: a subgraph using
  // the code gets its message replaced like any other.
  DOWNSTREAM_SERVICE_ERROR: { status: 200, client: false },
  // The gateway cannot answer safely: no data.
  PURPOSE_UNAVAILABLE: { status: 503, client: true },
  AUTHORIZATION_UNAVAILABLE: { status: 503, client: true },
  AUTHORIZATION_PLAN_REFUSED: { status: 500, client: true },
  AUDIT_UNAVAILABLE: { status: 503, client: true },
  INTERNAL_SERVER_ERROR: { status: 500, client: false },
} as const satisfies Record<string, { status: number; client: boolean }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export const isErrorCode = (code: unknown): code is ErrorCode =>
  typeof code === "string" && Object.hasOwn(ERROR_CODES, code);

/** Whether an error with this code keeps its message on the way to the client. */
export const shownToClients = (code: unknown): boolean =>
  isErrorCode(code) && ERROR_CODES[code].client;

export const statusOf = (code: ErrorCode): number => ERROR_CODES[code].status;

/**
 * The base of the gateway's own errors: always a name and a code from the catalogue, so a
 * refusal is formatted, counted and recorded the same way wherever it is raised.
 */
export class GatewayError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Response headers the refusal needs (WWW-Authenticate, Retry-After, Allow). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = new.target.name;
    this.status = statusOf(code);
  }

  /** The GraphQL-shaped body every refusal is sent as, so clients parse all failures alike. */
  body(): { errors: { message: string; extensions: { code: ErrorCode } }[] } {
    return { errors: [{ message: this.message, extensions: { code: this.code } }] };
  }
}

/** The request cannot go on, and nothing of the graph ran: a token, a purpose, the transport. */
export class RequestRefused extends GatewayError {}

/** An operation refused before it ran, with graphql-js's own errors (locations, limit names). */
export class OperationRefused extends RequestRefused {
  constructor(
    code: ErrorCode,
    private readonly errors: readonly GraphQLError[],
  ) {
    super(code, errors[0]?.message ?? "The operation cannot be run.");
  }
  override body() {
    return {
      errors: this.errors.map((e) => ({
        ...e.toJSON(),
        extensions: { ...e.extensions, code: this.code },
      })),
    } as ReturnType<RequestRefused["body"]>;
  }
}

/** The gateway cannot answer safely right now (access log, policy, purpose): no data, 503. */
export class ServiceUnavailable extends GatewayError {}
