import { type FormEvent, useState } from "react";
import type { DevUser } from "../shared/dev-sign-in.ts";
import { ProblemAlert } from "../shared/problem-alert.tsx";
import { DEVELOPMENT_NOTICE, ProviderButton } from "../shared/sign-in-controls.tsx";
import { StatusMessage } from "./feedback.tsx";
import { words } from "./format.ts";
import type { Session } from "./use-session.ts";

export { DEVELOPMENT_NOTICE };

// Officers are whoever holds a governance role; the API, not this list, decides.
const isOfficer = (user: DevUser) => user.roles.some((role) => role.includes("governance"));

function DevelopmentSignIn({ users, session }: { users: readonly DevUser[]; session: Session }) {
  const officers = users.filter(isOfficer);
  const others = users.filter((user) => !isOfficer(user));
  const [chosen, setChosen] = useState(officers[0]?.username ?? "");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (chosen) session.choose(chosen);
  };
  const label = (user: DevUser) => `${user.username}: ${user.name}, ${words(user.agency)}`;
  return (
    <form className="gov-form" onSubmit={submit} aria-labelledby="gov-sign-in-heading">
      <p className="gov-notice" role="note">
        {DEVELOPMENT_NOTICE}. Anyone who reaches this gateway can sign in as a fixture user.
      </p>
      <div className="gov-field">
        <label htmlFor="gov-user">Sign in as</label>
        <select id="gov-user" value={chosen} onChange={(event) => setChosen(event.target.value)}>
          <optgroup label="Governance officers">
            {officers.map((user) => (
              <option key={user.username} value={user.username}>
                {label(user)}
              </option>
            ))}
          </optgroup>
          <optgroup label="Other users (the governance API refuses them)">
            {others.map((user) => (
              <option key={user.username} value={user.username}>
                {label(user)}
              </option>
            ))}
          </optgroup>
        </select>
      </div>
      <button type="submit" className="gov-button gov-primary" disabled={!chosen}>
        Sign in
      </button>
    </form>
  );
}

function TokenSignIn({ session }: { session: Session }) {
  const [token, setToken] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (token.trim()) session.signInWithToken(token);
  };
  return (
    <form className="gov-form" onSubmit={submit} aria-labelledby="gov-sign-in-heading">
      <div className="gov-field gov-field-wide">
        <label htmlFor="gov-token">Bearer token</label>
        <textarea
          id="gov-token"
          className="gov-mono"
          rows={4}
          value={token}
          autoComplete="off"
          spellCheck={false}
          aria-describedby="gov-token-hint"
          onChange={(event) => setToken(event.target.value)}
        />
        <span id="gov-token-hint" className="gov-hint">
          This gateway signs people in through your organisation's identity provider. Paste the
          access token it issued you; it is kept in this tab only until you sign out or close it.
        </span>
      </div>
      <button type="submit" className="gov-button gov-primary" disabled={!token.trim()}>
        Sign in with token
      </button>
    </form>
  );
}

/** Sign-in through the organisation's identity provider: one button, the provider does the rest. */
export function ProviderSignIn({ session }: { session: Session }) {
  const refused = session.session.status === "refused" ? session.session : undefined;
  return (
    <div className="gov-form">
      {refused ? (
        // Signed in at the provider but refused here: "Sign in" would go round to the same
        // refusal, and the provider's session (and refresh token) would live on.
        <p className="gov-hint" data-testid="sign-in-refused">
          Your organisation signed you in as {refused.name}, but the governance console accepts only
          governance officers. Sign out to sign in with another account.
        </p>
      ) : (
        <p className="gov-hint">
          Sign in with your organisation's account. You go to its sign-in page and come back here.
        </p>
      )}
      <ProviderButton signIn={session} className="gov-button gov-primary" />
    </div>
  );
}

/** The page shown until the governance API accepts who the officer is. */
export function SignInPanel({ session }: { session: Session }) {
  const { method: identity, session: signIn } = session;
  return (
    <section className="gov-card gov-sign-in" aria-labelledby="gov-sign-in-heading">
      <h2 id="gov-sign-in-heading">Sign in</h2>
      <p>
        Governance officers review and change their own agency's sharing rules and read who accessed
        its data. No subject records are shown here.
      </p>
      {identity.mode === "checking" ? (
        <StatusMessage text="Checking how this gateway signs people in…" />
      ) : identity.mode === "development" ? (
        <DevelopmentSignIn users={identity.users} session={session} />
      ) : identity.mode === "oidc" ? (
        <ProviderSignIn session={session} />
      ) : (
        <>
          {identity.mode === "unavailable" ? (
            <ProblemAlert title="Development sign-in" problems={[{ message: identity.message }]} />
          ) : null}
          <TokenSignIn session={session} />
        </>
      )}
      <StatusMessage
        testId="sign-in-status"
        text={signIn.status === "working" ? signIn.message : ""}
      />
      {signIn.status === "signed-out" || signIn.status === "refused" ? (
        <ProblemAlert title="Could not sign in" problems={signIn.problems} />
      ) : null}
    </section>
  );
}
