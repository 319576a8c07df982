import type { IncomingMessage } from "node:http";
import type { Authority } from "../authz/ability.ts";
import type { AuthorizationContext } from "../authz/authorizing-gateway.ts";
import type { StatedEnquiry } from "../authz/judge.ts";
import { PurposeError } from "../authz/purpose.ts";
import { AuthenticationError, type Principal, type Verifier } from "../identity/verify.ts";

export const MIN_BREAK_GLASS_REASON = 20;

export interface GatewayContext extends AuthorizationContext {
  /** Returned to the client as X-Request-Id and signed into every subgraph fetch as `rid`. */
  requestId: string;
  principal: Principal;
  enquiryId: string | undefined;
  breakGlassReason: string | undefined;
  /**
   * The policy in force when the request was authorized: whom a search may match is told to the
   * hub from it (an internal run's own policy, `internal.authority`, comes first).
   */
  authority?: Authority;
  /** Set once the request's record is in the access log, so it is never recorded twice. */
  audited?: boolean;
}

/** A request that cannot go on: the HTTP status and a message safe to show. */
export class RequestRefused extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const header = (req: IncomingMessage, name: string) => {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(", ") : v;
};

/**
 * Who is asking, for what purpose, and whether they broke the glass: everything authorization
 * needs, settled before any GraphQL runs, so a bad token or purpose gets its own status and no data.
 */
export async function authorizeRequest(
  req: IncomingMessage,
  deps: {
    verify: Verifier;
    resolveEnquiry: (id: string, requestId: string) => Promise<StatedEnquiry>;
    authority: () => Authority;
  },
  requestId: string,
): Promise<GatewayContext> {
  let principal: Principal;
  try {
    principal = await deps.verify(header(req, "authorization"));
  } catch (error) {
    if (error instanceof AuthenticationError)
      throw new RequestRefused(401, "UNAUTHENTICATED", error.message);
    throw error;
  }
  const enquiryId = header(req, "x-mash-enquiry")?.trim() || undefined;
  // A break-glass header that is present but blank is a mistake to report, not a request without one.
  const reason = header(req, "x-mash-break-glass")?.trim();
  if (reason !== undefined && reason.length < MIN_BREAK_GLASS_REASON) {
    throw new RequestRefused(
      400,
      "BAD_USER_INPUT",
      `X-MASH-Break-Glass needs a written reason of at least ${MIN_BREAK_GLASS_REASON} characters.`,
    );
  }
  let enquiry: StatedEnquiry | undefined;
  if (enquiryId) {
    try {
      enquiry = await deps.resolveEnquiry(enquiryId, requestId);
    } catch (error) {
      if (error instanceof PurposeError) {
        throw new RequestRefused(
          error.status,
          error.status === 400 ? "BAD_USER_INPUT" : "PURPOSE_UNAVAILABLE",
          error.message,
        );
      }
      throw error;
    }
  }
  const authority = deps.authority();
  return {
    requestId,
    principal,
    enquiryId,
    breakGlassReason: reason,
    authority,
    authorization: {
      roles: principal.roles,
      agency: principal.agency,
      enquiry,
      breakGlass: reason !== undefined && authority.mayBreakGlass(principal.roles),
    },
  };
}
