import { errors, type JWTPayload, jwtVerify, SignJWT } from "jose";
import { CONTEXT_ALG, type ContextSigningKey, type ContextVerifyKeys } from "./keys.ts";

/** The header that carries the signed context from the gateway to a subgraph. */
export const CONTEXT_HEADER = "x-mash-context";
export const CONTEXT_ISSUER = "mash-gateway";
/** The JOSE `typ`, so no other JWT signed by some key of ours passes for a context. */
export const CONTEXT_TYPE = "mash-context+jwt";
/** Long enough for one client request's fetches, short enough that a leaked token is soon useless. */
export const CONTEXT_LIFETIME_SECONDS = 60;
export const CONTEXT_CLOCK_TOLERANCE_SECONDS = 5;
/** `sub` of the gateway's own requests (schema fetch, purpose lookups), made for no user. */
export const GATEWAY_SUBJECT = "mash-gateway";

/** Who a subgraph request is for, as the gateway vouches for it. */
export interface CallerContext {
  /** The user id, or GATEWAY_SUBJECT for the gateway's own requests. */
  sub: string;
  roles: string[];
  agency?: string;
  /** The enquiry the user stated (X-MASH-Enquiry), when one was. */
  enquiry?: string;
  /** The client request this fetch serves, as the gateway returned it in X-Request-Id. */
  rid: string;
  /**
   * Who each search argument may match, by the sharing agreement: sent only to the subgraph that
   * owns the search. A search has none when the gateway gave it none, and then matches no one.
   */
  search?: SearchAccess;
}

/** Whether an argument may match a person, by the person's flag (roles.yaml scope.flag). */
export interface FlagReach {
  flagged: boolean;
  unflagged: boolean;
}

/**
 * Whether the requester may read, for a person, the field a search argument reads: for people
 * outside the stated enquiry, and for people it links (only when the caller's agency takes part).
 */
export interface ArgumentReach {
  outside: FlagReach;
  linked: FlagReach;
}

export interface SearchAccess {
  /** "Query.searchSubjects" to each argument that reads a person's field, and whom it may match. */
  fields: Record<string, Record<string, ArgumentReach>>;
  /** The people linked to the stated enquiry, when the caller's agency takes part in it. */
  linked: string[];
}

/** More people than an enquiry links: a claim this long is not the gateway's. */
const MAX_LINKED = 500;
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/;
const COORDINATE = /^[A-Za-z_][A-Za-z0-9_]{0,99}\.[A-Za-z_][A-Za-z0-9_]{0,99}$/;
const ID = /^[A-Za-z0-9._:-]{1,100}$/;

export async function signContext(
  key: ContextSigningKey,
  audience: string,
  caller: CallerContext,
  /** Seconds since the epoch; for tests of expiry. */
  now = Math.floor(Date.now() / 1000),
): Promise<string> {
  return new SignJWT({
    roles: caller.roles,
    ...(caller.agency !== undefined ? { agency: caller.agency } : {}),
    ...(caller.enquiry !== undefined ? { enquiry: caller.enquiry } : {}),
    rid: caller.rid,
    ...(caller.search !== undefined ? { search: caller.search } : {}),
  })
    .setProtectedHeader({ alg: CONTEXT_ALG, kid: key.kid, typ: CONTEXT_TYPE })
    .setSubject(caller.sub)
    .setIssuer(CONTEXT_ISSUER)
    .setAudience(audience)
    .setIssuedAt(now)
    .setExpirationTime(now + CONTEXT_LIFETIME_SECONDS)
    .sign(key.privateKey);
}

export type RefusalReason =
  | "missing"
  | "malformed"
  | "algorithm"
  | "unknown-key"
  | "signature"
  | "expired"
  | "audience"
  | "claims";

/** Why a subgraph refuses a request; the message is safe to return and never quotes the token. */
export class ContextRefused extends Error {
  constructor(
    readonly reason: RefusalReason,
    message: string,
  ) {
    super(message);
    this.name = "ContextRefused";
  }
}

export type ContextVerifier = (header: string | undefined) => Promise<CallerContext>;

const MAX_TOKEN_CHARS = 8192;

/** Verifies contexts addressed to `audience` (this subgraph's name) against the trusted keys. */
export function createContextVerifier(
  keys: ContextVerifyKeys,
  audience: string,
  options: { currentDate?: () => Date } = {},
): ContextVerifier {
  return async (header) => {
    const token = header?.trim();
    if (!token)
      throw new ContextRefused(
        "missing",
        "This subgraph answers only the MASH gateway: the request carries no X-MASH-Context.",
      );
    if (token.length > MAX_TOKEN_CHARS)
      throw new ContextRefused("malformed", "X-MASH-Context is too long to be a gateway context.");
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(
        token,
        (protectedHeader) => {
          const key = protectedHeader.kid === undefined ? undefined : keys.get(protectedHeader.kid);
          if (!key) throw unknownKey(protectedHeader.kid);
          return key;
        },
        {
          algorithms: [CONTEXT_ALG],
          typ: CONTEXT_TYPE,
          issuer: CONTEXT_ISSUER,
          audience,
          clockTolerance: CONTEXT_CLOCK_TOLERANCE_SECONDS,
          maxTokenAge: CONTEXT_LIFETIME_SECONDS,
          requiredClaims: ["sub", "iat", "exp", "rid"],
          currentDate: options.currentDate?.(),
        },
      ));
    } catch (error) {
      throw error instanceof ContextRefused ? error : refusal(error, audience);
    }
    return callerFrom(payload);
  };
}

function unknownKey(kid: string | undefined): ContextRefused {
  const named = kid !== undefined && /^[A-Za-z0-9._-]{1,64}$/.test(kid) ? `"${kid}"` : "none given";
  return new ContextRefused(
    "unknown-key",
    `X-MASH-Context is signed with a key this subgraph does not trust (kid ${named}); check MASH_CONTEXT_VERIFY_KEYS.`,
  );
}

function refusal(error: unknown, audience: string): ContextRefused {
  if (error instanceof errors.JWTExpired)
    return new ContextRefused(
      "expired",
      "X-MASH-Context has expired; the gateway signs a fresh one for every request.",
    );
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "aud")
      return new ContextRefused(
        "audience",
        `X-MASH-Context is addressed to another subgraph, not "${audience}".`,
      );
    if (error.claim === "iat" && error.reason === "check_failed")
      return new ContextRefused(
        "claims",
        "X-MASH-Context is issued in the future; check the gateway's and this subgraph's clocks.",
      );
    return new ContextRefused(
      "claims",
      `X-MASH-Context has an unacceptable "${error.claim}" claim (${error.reason}).`,
    );
  }
  if (error instanceof errors.JOSEAlgNotAllowed)
    return new ContextRefused(
      "algorithm",
      `X-MASH-Context must be signed with ${CONTEXT_ALG}; no other algorithm (nor none) is accepted.`,
    );
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return new ContextRefused(
      "signature",
      "X-MASH-Context does not verify: it was altered, or not signed by the gateway.",
    );
  return new ContextRefused("malformed", "X-MASH-Context is not a signed gateway context.");
}

function callerFrom(payload: JWTPayload): CallerContext {
  const { sub, roles, agency, enquiry, rid, search } = payload;
  const bad = (claim: string) =>
    new ContextRefused("claims", `X-MASH-Context has an unacceptable "${claim}" claim.`);
  if (typeof sub !== "string" || !sub) throw bad("sub");
  if (!Array.isArray(roles) || !roles.every((r) => typeof r === "string")) throw bad("roles");
  if (agency !== undefined && typeof agency !== "string") throw bad("agency");
  if (enquiry !== undefined && typeof enquiry !== "string") throw bad("enquiry");
  if (typeof rid !== "string" || !/^[A-Za-z0-9._:-]{1,100}$/.test(rid)) throw bad("rid");
  const access = search === undefined ? undefined : searchAccessFrom(search);
  if (search !== undefined && !access) throw bad("search");
  return {
    sub,
    roles: roles as string[],
    ...(agency !== undefined ? { agency: agency as string } : {}),
    ...(enquiry !== undefined ? { enquiry: enquiry as string } : {}),
    rid,
    ...(access ? { search: access } : {}),
  };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

function flagReachFrom(value: unknown): FlagReach | undefined {
  if (!isObject(value)) return undefined;
  const { flagged, unflagged } = value;
  if (typeof flagged !== "boolean" || typeof unflagged !== "boolean") return undefined;
  return { flagged, unflagged };
}

/**
 * The search claim rebuilt from what was checked, nothing else kept: a subgraph decides whom a
 * search may match from it, so a claim of any other shape is refused, not read in part.
 */
function searchAccessFrom(value: unknown): SearchAccess | undefined {
  if (!isObject(value) || !isObject(value.fields) || !Array.isArray(value.linked)) return undefined;
  const { linked } = value;
  if (linked.length > MAX_LINKED || !linked.every((id) => typeof id === "string" && ID.test(id)))
    return undefined;
  const fields: SearchAccess["fields"] = {};
  for (const [coordinate, args] of Object.entries(value.fields)) {
    if (!COORDINATE.test(coordinate) || !isObject(args)) return undefined;
    const reach: Record<string, ArgumentReach> = {};
    for (const [name, entry] of Object.entries(args)) {
      if (!NAME.test(name) || name === "__proto__" || !isObject(entry)) return undefined;
      const outside = flagReachFrom(entry.outside);
      const inEnquiry = flagReachFrom(entry.linked);
      if (!outside || !inEnquiry) return undefined;
      reach[name] = { outside, linked: inEnquiry };
    }
    fields[coordinate] = reach;
  }
  return { fields, linked: linked as string[] };
}
