import type { OidcSession } from "../sign-in/use-oidc-session.ts";
import type { DevUser } from "./api.ts";
import { enquiryLabel } from "./enquiry-label.ts";
import { breakGlassHeader, MIN_BREAK_GLASS_REASON } from "./fetcher.ts";
import { RequestStatus } from "./request-status.tsx";
import type { ConsoleSession, EnquiryState } from "./use-session.ts";

export const DEVELOPMENT_NOTICE = "Development sign-in: synthetic data only";

const words = (slug: string) => slug.replace(/[-_]+/g, " ");

function describeUser(user: Pick<DevUser, "roles"> & { readonly agency?: string }): string {
  const roles = user.roles.length > 0 ? words(user.roles.join(", ")) : "no roles";
  return user.agency ? `${roles}, ${words(user.agency)}` : roles;
}

function providerText(session: OidcSession): string {
  switch (session.status) {
    case "off":
      return "";
    case "working":
      return session.message;
    case "signed-out":
      return `${session.message ? `${session.message} ` : ""}Not signed in: press “Sign in” to sign in with your organisation's account.`;
    case "signed-in":
      return `Signed in as ${session.user.name} (${session.user.id}), ${describeUser(session.user)}`;
  }
}

function whoText({ identity, signIn, typedTokenAccepted, oidc }: ConsoleSession): string {
  switch (identity.mode) {
    case "checking":
      return "Checking how this gateway signs people in…";
    case "oidc":
      return providerText(oidc.session);
    case "external":
      return typedTokenAccepted
        ? "Signed in with the Authorization header in the Headers editor."
        : 'Sign in with your own token: add { "Authorization": "Bearer <token>" } in the Headers editor below the query.';
    case "unavailable":
      return `${identity.message}. Put your own Authorization header in the Headers editor, or reload the page.`;
  }
  switch (signIn.status) {
    case "signed-out":
      return "Not signed in: choose a user to run requests.";
    case "signing-in":
      return `Signing in as ${signIn.user.name}…`;
    case "signed-in":
      return `Signed in as ${signIn.user.name} (${signIn.user.username}), ${describeUser(signIn.user)}`;
    case "failed":
      return `Could not sign in as ${signIn.user.username}: ${signIn.message}`;
  }
}

function enquiryHint(enquiries: EnquiryState, external: boolean): string {
  switch (enquiries.status) {
    case "idle":
      return external
        ? "Listed once a request with your Authorization header succeeds."
        : "Sign in to list open enquiries.";
    case "loading":
      return "Loading open enquiries…";
    case "ready":
      return enquiries.enquiries.length === 0
        ? "No open enquiries your agency takes part in."
        : "Most urgent first: RED, AMBER, GREEN, then the soonest due. Sent as X-MASH-Enquiry with every request.";
    case "withheld":
      return `Not listed for your role: ${enquiries.message}`;
    case "error":
      return `Could not list enquiries: ${enquiries.message}`;
  }
}

function breakGlassHint(reason: string): { text: string; sending: boolean } {
  const header = breakGlassHeader(reason);
  if (header.send) return { text: "Sent with every request as X-MASH-Break-Glass.", sending: true };
  if (header.problem) return { text: header.problem, sending: false };
  const length = reason.trim().length;
  if (length === 0) {
    return {
      text: `Optional. Sent only once it has at least ${MIN_BREAK_GLASS_REASON} characters.`,
      sending: false,
    };
  }
  return {
    text: `${length} of at least ${MIN_BREAK_GLASS_REASON} characters: not sent yet.`,
    sending: false,
  };
}

/** Sign-in through the organisation's identity provider: one button, no picker. */
function ProviderSignIn({ session }: { session: ConsoleSession }) {
  const { oidc } = session;
  const signedIn = oidc.session.status === "signed-in";
  return (
    <div className="mash-console-field">
      <button
        type="button"
        className="mash-console-copy"
        disabled={oidc.session.status === "working"}
        onClick={signedIn ? oidc.signOut : oidc.signIn}
      >
        {signedIn ? "Sign out" : "Sign in"}
      </button>
    </div>
  );
}

/** The bar above GraphiQL: who the console acts as, and for which enquiry. */
export function HeaderBar({ session }: { session: ConsoleSession }) {
  const { identity, signIn, enquiries, enquiry } = session;
  const development = identity.mode === "development";
  const listed = enquiries.status === "ready" ? enquiries.enquiries : [];
  // While the list (re)loads, still show the enquiry that requests are sent with.
  const shown =
    enquiry && !listed.some((item) => item.id === enquiry)
      ? [...listed, { id: enquiry, rag: "", reason: "" }]
      : listed;
  const chosenUser = signIn.status === "signed-out" ? "" : signIn.user.username;
  const glass = breakGlassHint(session.breakGlass);

  return (
    <header className="mash-console-header">
      <div className="mash-console-brand">
        <h1 className="mash-console-title">MASH Gateway console</h1>
        {development ? (
          <p className="mash-console-notice" role="note">
            {DEVELOPMENT_NOTICE}
          </p>
        ) : null}
      </div>
      <fieldset className="mash-console-session">
        <legend className="mash-console-visually-hidden">Sign-in and purpose</legend>
        {development ? (
          <div className="mash-console-field">
            <label htmlFor="mash-sign-in">Sign in as</label>
            <select
              id="mash-sign-in"
              value={chosenUser}
              onChange={(event) => session.chooseUser(event.target.value)}
            >
              <option value="">Not signed in</option>
              {identity.users.map((user) => (
                <option key={user.username} value={user.username}>
                  {`${user.username}: ${user.name}, ${describeUser(user)}`}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        {identity.mode === "oidc" ? <ProviderSignIn session={session} /> : null}
        <div className="mash-console-field mash-console-field-wide">
          <label htmlFor="mash-enquiry">Enquiry (purpose)</label>
          <select
            id="mash-enquiry"
            value={enquiry}
            disabled={enquiries.status !== "ready"}
            aria-describedby="mash-enquiry-hint"
            onChange={(event) => session.setEnquiry(event.target.value)}
          >
            <option value="">No enquiry</option>
            {shown.map((item) => (
              <option key={item.id} value={item.id}>
                {item.reason ? enquiryLabel(item) : item.id}
              </option>
            ))}
          </select>
          <span id="mash-enquiry-hint" className="mash-console-hint">
            {enquiryHint(enquiries, !development)}
          </span>
        </div>
        <div className="mash-console-field mash-console-field-wide">
          <label htmlFor="mash-break-glass">Break glass reason</label>
          <input
            id="mash-break-glass"
            type="text"
            value={session.breakGlass}
            maxLength={500}
            autoComplete="off"
            aria-describedby="mash-break-glass-hint"
            className={glass.sending ? "mash-console-breaking" : undefined}
            onChange={(event) => session.setBreakGlass(event.target.value)}
          />
          <span id="mash-break-glass-hint" className="mash-console-hint">
            {glass.text}
          </span>
        </div>
      </fieldset>
      <p className="mash-console-who" role="status">
        {whoText(session)}
      </p>
      <RequestStatus report={session.lastRequest} />
    </header>
  );
}
