import { DEVELOPMENT_NOTICE, ProviderButton, UserPicker } from "../shared/sign-in-controls.tsx";
import { signedOutWhy } from "../shared/sign-in-session.ts";
import { enquiryLabel } from "./enquiry-label.ts";
import { breakGlassHeader, MIN_BREAK_GLASS_REASON } from "./fetcher.ts";
import { RequestStatus } from "./request-status.tsx";
import type { ConsoleSession, ConsoleUser, EnquiryState } from "./use-session.ts";

export { DEVELOPMENT_NOTICE };

const words = (slug: string) => slug.replace(/[-_]+/g, " ");

function describeUser(user: Pick<ConsoleUser, "roles" | "agency">): string {
  const roles = user.roles.length > 0 ? words(user.roles.join(", ")) : "no roles";
  return user.agency ? `${roles}, ${words(user.agency)}` : roles;
}

function whoText({ identity, signIn, typedTokenAccepted }: ConsoleSession): string {
  switch (identity.mode) {
    case "checking":
      return "Checking how this gateway signs people in…";
    case "external":
      return typedTokenAccepted
        ? "Signed in with the Authorization header in the Headers editor."
        : 'Sign in with your own token: add { "Authorization": "Bearer <token>" } in the Headers editor below the query.';
    case "unavailable":
      return `${identity.message}. Put your own Authorization header in the Headers editor, or reload the page.`;
  }
  const { session } = signIn;
  switch (session.status) {
    case "working":
      return session.message;
    case "signed-in":
      return `Signed in as ${session.user.name} (${session.id}), ${describeUser(session.user)}`;
    case "refused":
      return `Not signed in: ${session.problems.map((problem) => problem.message).join("; ")}`;
    case "signed-out":
      break;
  }
  const why = signedOutWhy(session);
  if (identity.mode === "oidc")
    return `${why ? `${why} ` : ""}Not signed in: press “Sign in” to sign in with your organisation's account.`;
  return why
    ? `Could not sign in as ${signIn.chosen}: ${why}`
    : "Not signed in: choose a user to run requests.";
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
        {identity.mode === "development" ? (
          <div className="mash-console-field">
            <UserPicker
              id="mash-sign-in"
              users={identity.users}
              chosen={signIn.chosen}
              choose={signIn.choose}
              none="Not signed in"
              label={(user) => `${user.username}: ${user.name}, ${describeUser(user)}`}
            />
          </div>
        ) : null}
        {identity.mode === "oidc" ? (
          <div className="mash-console-field">
            <ProviderButton signIn={signIn} className="mash-console-copy" />
          </div>
        ) : null}
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
