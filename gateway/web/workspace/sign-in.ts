/**
 * Who the workspace acts for: a practitioner of one agency, from the development picker or the
 * organisation's identity provider (shared/use-sign-in.ts does the signing in).
 */

import type { DevUser } from "../shared/dev-sign-in.ts";
import type { Via } from "../shared/use-sign-in.ts";
import type { SignedInUser } from "../sign-in/id-token.ts";

/** The workspace's one address: registered with the provider as redirect and post-logout URI. */
export const WORKSPACE_PATH = "/workspace";

/** A practitioner as the pages need them: a development user, or one the provider signed in. */
export type Practitioner = DevUser;

/**
 * The practitioner the provider signed in, as the pages need them; undefined when the ID token
 * names no agency, for the workspace is one agency's view of its enquiries.
 */
export function practitionerOf(user: SignedInUser): Practitioner | undefined {
  if (!user.agency) return undefined;
  return { username: user.id, name: user.name, agency: user.agency, roles: user.roles };
}

/**
 * Whom a sign-in is for, or why the workspace cannot act for them; `agencyClaim` names the ID
 * token claim that should have said their agency.
 */
export function acceptPractitioner(via: Via, agencyClaim: string | undefined): Practitioner {
  if (via.via === "development") return via.user;
  if (via.via === "provider") {
    const user = practitionerOf(via.user);
    if (user) return user;
    throw new Error(
      `Signed in as ${via.user.name} (${via.user.id}), but the identity provider names no agency for them (claim "${agencyClaim}"): the workspace shows an agency's enquiries. Sign out, or ask your administrator.`,
    );
  }
  throw new Error("The workspace signs people in with the picker or the identity provider.");
}
