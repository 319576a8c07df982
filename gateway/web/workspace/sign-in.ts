/**
 * How the workspace signs a practitioner in, as GET /auth/config says: through the organisation's
 * identity provider (mode "oidc", browser-auth/), or development sign-in (`/dev/users`,
 * `/dev/token`). The calls are the GraphiQL console's own (console/api.ts), as the governance
 * console uses them; use-sign-in.ts holds the rest. Tokens stay in memory, never in storage.
 */

import { type DevUser, type IdentityProbe, messageOf } from "../console/api.ts";
import type { SignedInUser } from "../sign-in/id-token.ts";

export { fetchDevToken as fetchToken, probeIdentity as probeSignIn } from "../console/api.ts";
export { messageOf };

/** The workspace's one address: registered with the provider as redirect and post-logout URI. */
export const WORKSPACE_PATH = "/workspace";

/** A practitioner as the pages need them: a development user, or one the provider signed in. */
export type Practitioner = DevUser;

export type SignInMethod = { readonly mode: "checking" } | IdentityProbe;

/**
 * The practitioner the provider signed in, as the pages need them; undefined when the ID token
 * names no agency, for the workspace is one agency's view of its enquiries.
 */
export function practitionerOf(user: SignedInUser): Practitioner | undefined {
  if (!user.agency) return undefined;
  return { username: user.id, name: user.name, agency: user.agency, roles: user.roles };
}
