/**
 * How this gateway signs people in (GET /auth/config, else whether /dev/users exists) and the
 * development sign-in routes, `/dev/users` and `/dev/token`: the same calls for all three apps.
 * A development token stays with the caller; nothing here writes it anywhere.
 */
import { fetchAuthConfig, type OidcClientConfig } from "@mash/client-kit/auth-config";
import { messageOf } from "./message-of.ts";

const DEV_USERS = "/dev/users";
const DEV_TOKEN = "/dev/token";

export interface DevUser {
  readonly username: string;
  readonly name: string;
  readonly agency: string;
  readonly roles: readonly string[];
}

/** How this gateway signs people in. */
export type IdentityProbe =
  | { readonly mode: "development"; readonly users: readonly DevUser[] }
  /** Through the organisation's identity provider, in the browser (sign-in/). */
  | { readonly mode: "oidc"; readonly config: OidcClientConfig }
  /** An identity provider, but people paste their own token. */
  | { readonly mode: "external" }
  | { readonly mode: "unavailable"; readonly message: string };

/** The probe's answer, or that it has not come back yet. */
export type SignInMethod = { readonly mode: "checking" } | IdentityProbe;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === "string";

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

/** A token for a development user, as the gateway issues it (without "Bearer "). */
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
