import type { JWTPayload } from "jose";
import type { ArgumentReach, CallerContext, FlagReach, SearchAccess } from "./caller.ts";
import { ContextRefused } from "./refusal.ts";

/** More people than an enquiry links: a claim this long is not the gateway's. */
const MAX_LINKED = 500;
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/;
const COORDINATE = /^[A-Za-z_][A-Za-z0-9_]{0,99}\.[A-Za-z_][A-Za-z0-9_]{0,99}$/;
const ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** The caller a verified payload vouches for, each claim checked; anything else is refused. */
export function callerFrom(payload: JWTPayload): CallerContext {
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
