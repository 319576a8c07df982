import type { GraphQLFormattedError } from "graphql";

/** What every refusal carries: the HTTP status, the gateway's code and message, the request id. */
export interface RefusalFacts {
  status: number;
  /** `extensions.code` of the first error: one of the gateway's catalogue (errors/catalogue.ts). */
  code: string | undefined;
  message: string;
  errors: readonly GraphQLFormattedError[];
  /** The X-Request-Id the gateway answered with: quote it when reporting a problem. */
  requestId: string | undefined;
}

/**
 * The gateway answered without data: nothing of the graph ran (a token, a purpose, a limit) or
 * the operation itself is wrong. The subclasses name the statuses a frontend handles apart.
 */
export class MashRequestError extends Error implements RefusalFacts {
  readonly status: number;
  readonly code: string | undefined;
  readonly errors: readonly GraphQLFormattedError[];
  readonly requestId: string | undefined;

  constructor(facts: RefusalFacts) {
    super(facts.message);
    this.name = new.target.name;
    this.status = facts.status;
    this.code = facts.code;
    this.errors = facts.errors;
    this.requestId = facts.requestId;
  }
}

/** HTTP 400: a bad operation, variable, enquiry id or break-glass reason; the message says which. */
export class BadRequestError extends MashRequestError {}

/** HTTP 401: no token, or one the gateway does not accept; sign in again. */
export class UnauthenticatedError extends MashRequestError {}

/** HTTP 403: the request is not allowed at all (break glass by a role that may not, an origin). */
export class ForbiddenError extends MashRequestError {}

/** HTTP 429: past the user's rate budget; `retryAfterSeconds` says when to try again. */
export class RateLimitedError extends MashRequestError {
  constructor(
    facts: RefusalFacts,
    /** Retry-After, in seconds; undefined when the gateway sent none. */
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(facts);
  }
}

/** The refusal for a response without data, by its status. */
export function refusalFor(facts: RefusalFacts, retryAfter: string | null): MashRequestError {
  switch (facts.status) {
    case 400:
      return new BadRequestError(facts);
    case 401:
      return new UnauthenticatedError(facts);
    case 403:
      return new ForbiddenError(facts);
    case 429: {
      const seconds = retryAfter === null ? Number.NaN : Number(retryAfter);
      return new RateLimitedError(facts, Number.isFinite(seconds) ? seconds : undefined);
    }
    default:
      return new MashRequestError(facts);
  }
}
