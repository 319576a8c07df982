/**
 * The console's own calls to the gateway, all same-origin: the development sign-in routes and the
 * list of open enquiries for the purpose picker. GraphiQL's requests go through fetcher.ts.
 */

import { fetchAuthConfig, type OidcClientConfig } from "@mash/client-kit/auth-config";
import { orderByUrgency } from "./enquiry-order.ts";

export const GRAPHQL_ENDPOINT = "/graphql";
const DEV_USERS = "/dev/users";
const DEV_TOKEN = "/dev/token";

export interface DevUser {
  readonly username: string;
  readonly name: string;
  readonly agency: string;
  readonly roles: readonly string[];
}

export interface OpenEnquiry {
  readonly id: string;
  readonly rag: string;
  readonly reason: string;
  /** When the decision is due by the RAG timescale; null where the hub has none. */
  readonly dueBy?: string | null;
  readonly openedAt?: string | null;
  /** True while it is open and past dueBy. */
  readonly overdue?: boolean | null;
}

/** How this gateway signs people in, from GET /auth/config (else from whether /dev/users exists). */
export type IdentityProbe =
  | { readonly mode: "development"; readonly users: readonly DevUser[] }
  /** Through the organisation's identity provider, in the browser (browser-auth/). */
  | { readonly mode: "oidc"; readonly config: OidcClientConfig }
  /** An identity provider, but people paste their own token. */
  | { readonly mode: "external" }
  | { readonly mode: "unavailable"; readonly message: string };

export type EnquiryList =
  | { readonly status: "ready"; readonly enquiries: readonly OpenEnquiry[] }
  /** The sharing rules withhold the list from this role (a governance officer, say). */
  | { readonly status: "withheld"; readonly message: string }
  | { readonly status: "error"; readonly message: string };

/**
 * Only the enquiries the user's agency takes part in: they alone grant a purpose, and the
 * agreement shows their rating and reason; any other's would come back withheld. The hub lists
 * newest first and allows at most 500; the console reorders them by urgency (enquiry-order.ts).
 */
export const OPEN_ENQUIRIES_QUERY =
  "query ConsoleOpenEnquiries { enquiries(status: OPEN, takingPart: true, first: 500) " +
  "{ id rag reason openedAt dueBy overdue } }";

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const isString = (value: unknown): value is string => typeof value === "string";
const isOptional = <T>(value: unknown, is: (value: unknown) => value is T) =>
  value === undefined || value === null || is(value);
const isBoolean = (value: unknown): value is boolean => typeof value === "boolean";

export function parseDevUsers(body: unknown): DevUser[] {
  const users = isRecord(body) ? body.users : undefined;
  if (!Array.isArray(users)) throw new Error("GET /dev/users did not return a list of users");
  return users.filter(
    (user): user is DevUser =>
      isRecord(user) &&
      isString(user.username) &&
      isString(user.name) &&
      isString(user.agency) &&
      Array.isArray(user.roles) &&
      user.roles.every(isString),
  );
}

export async function probeIdentity(): Promise<IdentityProbe> {
  try {
    const auth = await fetchAuthConfig();
    if (auth?.mode === "oidc") {
      const { mode: _, ...config } = auth;
      return { mode: "oidc", config };
    }
    if (auth?.mode === "external") return { mode: "external" };
  } catch (error) {
    return { mode: "unavailable", message: messageOf(error) };
  }
  let response: Response;
  try {
    response = await fetch(DEV_USERS, { headers: { accept: "application/json" } });
  } catch (error) {
    return { mode: "unavailable", message: `Could not reach the gateway: ${messageOf(error)}` };
  }
  // An external identity provider: the development routes do not exist at all.
  if (response.status === 404) return { mode: "external" };
  if (!response.ok) {
    return { mode: "unavailable", message: `GET /dev/users answered HTTP ${response.status}` };
  }
  try {
    return { mode: "development", users: parseDevUsers(await response.json()) };
  } catch (error) {
    return { mode: "unavailable", message: messageOf(error) };
  }
}

/** A token for a development user; it stays in memory and is never written to storage. */
export async function fetchDevToken(username: string, signal?: AbortSignal): Promise<string> {
  const response = await fetch(DEV_TOKEN, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ username }),
    credentials: "same-origin",
    signal,
  });
  const body: unknown = await response.json().catch(() => undefined);
  if (response.ok && isRecord(body) && isString(body.token)) return body.token;
  const problem = isRecord(body) && isString(body.error) ? body.error : undefined;
  throw new Error(problem ?? `POST /dev/token answered HTTP ${response.status}`);
}

interface GraphQLError {
  message?: unknown;
  path?: unknown;
  extensions?: { code?: unknown; reason?: unknown };
}

/**
 * Reads the answer to OPEN_ENQUIRIES_QUERY, most urgent first; a withheld field is an expected
 * answer, not a fault.
 */
export function parseEnquiries(status: number, body: unknown): EnquiryList {
  const data = isRecord(body) && isRecord(body.data) ? body.data : undefined;
  const errors = (isRecord(body) && Array.isArray(body.errors) ? body.errors : []).filter(isRecord);
  const list = data?.enquiries;
  if (Array.isArray(list)) {
    const enquiries = list.filter(
      (item): item is OpenEnquiry =>
        isRecord(item) &&
        isString(item.id) &&
        isString(item.rag) &&
        isString(item.reason) &&
        isOptional(item.dueBy, isString) &&
        isOptional(item.openedAt, isString) &&
        isOptional(item.overdue, isBoolean),
    );
    return { status: "ready", enquiries: orderByUrgency(enquiries) };
  }
  const [first] = errors as GraphQLError[];
  const withheld = (errors as GraphQLError[]).find(
    (error) => error.extensions?.code === "UNAUTHORIZED_FIELD_OR_TYPE",
  );
  if (withheld) {
    const reason = withheld.extensions?.reason ?? withheld.message;
    return {
      status: "withheld",
      message: isString(reason) ? reason : "Withheld by the sharing rules",
    };
  }
  if (first && isString(first.message)) return { status: "error", message: first.message };
  return { status: "error", message: `The gateway answered HTTP ${status} without a list` };
}

export async function fetchOpenEnquiries(
  authorization: string,
  signal?: AbortSignal,
): Promise<EnquiryList> {
  try {
    const response = await fetch(GRAPHQL_ENDPOINT, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/graphql-response+json, application/json;q=0.9",
        authorization,
      },
      body: JSON.stringify({ query: OPEN_ENQUIRIES_QUERY }),
      credentials: "same-origin",
      signal,
    });
    return parseEnquiries(response.status, await response.json().catch(() => undefined));
  } catch (error) {
    return { status: "error", message: messageOf(error) };
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
