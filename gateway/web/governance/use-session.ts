import { type SignInState, useSignIn } from "../shared/use-sign-in.ts";
import { governanceRequest } from "./api.ts";
import { ME } from "./queries.ts";
import type { Officer } from "./types.ts";

export type Session = SignInState<Officer>;

/**
 * Governance work spans reloads (reading a proposal, then the access log), so a development or
 * pasted token stays in sessionStorage: it survives a reload but not closing the tab, and is
 * cleared on sign-out. The token grants governance of one agency's rules, never subject records.
 * Tokens from the identity provider (mode "oidc") are kept in memory only, and renewed there; after
 * a reload the provider's own session signs the officer in again with one redirect.
 */
const TOKEN_KEY = "mash-governance:authorization";

/** Only an officer the governance API accepts counts as signed in; it says who they are. */
export function useSession(): Session {
  return useSignIn<Officer>({
    // One address to register with the provider, though the page also answers at /governance/.
    redirectPath: "/governance",
    keepKey: TOKEN_KEY,
    accept: (authorization, _via, signal) =>
      governanceRequest<{ me: Officer }>(authorization, ME, undefined, signal).then(({ me }) => me),
    idOf: (officer) => officer.id,
  });
}
