import "./app.css";
import { createClient, type MashClient } from "@mash/client-kit";
import { StrictMode, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { createRoot } from "react-dom/client";
import { EnquiryPage } from "./enquiry-page.tsx";
import { InboxPage } from "./inbox-page.tsx";
import { agencyName } from "./names.ts";
import { PersonPage } from "./person-page.tsx";
import { parseRoute, type Route } from "./route.ts";
import type { Practitioner } from "./sign-in.ts";
import { type SignInState, useSignIn } from "./use-sign-in.ts";

/**
 * The route in the address bar's hash, read again whenever `who` changes: back from the identity
 * provider, sign-in puts the route the user was on back with history.replaceState, which fires no
 * hashchange.
 */
function useRoute(who: string): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const changed = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener("hashchange", changed);
    return () => window.removeEventListener("hashchange", changed);
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `who` is when to look again
  useEffect(() => setRoute(parseRoute(window.location.hash)), [who]);
  return route;
}

function whoText({ method, session }: SignInState): string {
  switch (session.status) {
    case "signed-in":
      return `Signed in as ${session.user.name} (${session.user.username}), ${agencyName(session.user.agency)}`;
    case "working":
    case "refused":
      return session.message;
    case "signed-out":
      break;
  }
  const signedOut = session.message ? `${session.message} Not signed in.` : "Not signed in.";
  switch (method.mode) {
    case "checking":
      return "Checking how this gateway signs people in…";
    case "external":
      return "This gateway signs people in through its identity provider.";
    case "unavailable":
      return method.message;
    case "oidc":
      return `${signedOut} Press “Sign in” to sign in with your organisation's account.`;
    case "development":
      return signedOut;
  }
}

/** Sign-in through the organisation's identity provider: one button, no picker. */
function ProviderButton({ signIn }: { signIn: SignInState }) {
  const { status } = signIn.session;
  const signedIn = status === "signed-in" || status === "refused";
  return (
    <div className="ws-sign-in">
      <button
        type="button"
        disabled={status === "working"}
        onClick={signedIn ? signIn.signOut : signIn.signIn}
      >
        {signedIn ? "Sign out" : "Sign in"}
      </button>
    </div>
  );
}

function SignInBar({ signIn }: { signIn: SignInState }) {
  const { method } = signIn;
  return (
    <header className="ws-header">
      <p className="ws-brand">
        <a href="#/">MASH workspace</a>
      </p>
      {method.mode === "development" ? (
        <div className="ws-sign-in">
          <label htmlFor="ws-user">Sign in as</label>{" "}
          <select
            id="ws-user"
            value={signIn.chosen}
            onChange={(e) => signIn.choose(e.currentTarget.value)}
          >
            <option value="">Signed out</option>
            {method.users
              .filter((user) => !user.roles.includes("governance_officer"))
              .map((user) => (
                <option key={user.username} value={user.username}>
                  {user.name} ({user.username}, {agencyName(user.agency)})
                </option>
              ))}
          </select>{" "}
          <span className="ws-note">Development sign-in: synthetic data only</span>
        </div>
      ) : method.mode === "oidc" ? (
        <ProviderButton signIn={signIn} />
      ) : null}
      <p className="ws-who" aria-live="polite">
        {whoText(signIn)}
      </p>
    </header>
  );
}

function Page({
  route,
  client,
  user,
  announce,
}: {
  route: Route;
  client: MashClient;
  user: Practitioner;
  announce: (message: string) => void;
}) {
  if (route.page === "enquiry") {
    return (
      <EnquiryPage
        key={route.enquiryId}
        client={client}
        user={user}
        enquiryId={route.enquiryId}
        announce={announce}
      />
    );
  }
  if (route.page === "person") {
    return (
      <PersonPage
        key={`${route.enquiryId}/${route.subjectId}`}
        client={client}
        enquiryId={route.enquiryId}
        subjectId={route.subjectId}
        announce={announce}
      />
    );
  }
  return <InboxPage client={client} user={user} />;
}

function App() {
  const signIn = useSignIn();
  const session = signIn.session;
  // Who, not which token: the identity provider renews the token under the same user.
  const username = session.status === "signed-in" ? session.user.username : "";
  const route = useRoute(username);
  const [announcement, setAnnouncement] = useState("");
  const main = useRef<HTMLElement>(null);
  const authorization = useRef<string | undefined>(undefined);
  authorization.current = session.status === "signed-in" ? session.authorization : undefined;
  // Only ever /graphql on this origin: every rule and record of the gateway applies. The token is
  // read at each request, so a renewal reaches the next one without reloading the page.
  const client = useMemo(
    () =>
      username
        ? createClient({
            url: "/graphql",
            token: () => authorization.current?.replace(/^Bearer /, ""),
          })
        : undefined,
    [username],
  );
  const announce = useCallback((message: string) => setAnnouncement(message), []);

  // Another person (or no one) now: the last one's enquiry is not theirs to carry on with.
  const previousUser = useRef(username);
  useEffect(() => {
    if (previousUser.current && previousUser.current !== username) {
      window.location.hash = "#/";
      setAnnouncement("");
    }
    previousUser.current = username;
  }, [username]);

  // A new page moves focus to its heading, so a screen reader starts reading it there.
  const routeKey = JSON.stringify(route);
  const firstRoute = useRef(routeKey);
  useEffect(() => {
    if (routeKey === firstRoute.current) return;
    firstRoute.current = "";
    main.current?.querySelector<HTMLElement>(".ws-page-title")?.focus();
  }, [routeKey]);

  return (
    <>
      <button type="button" className="ws-skip" onClick={() => main.current?.focus()}>
        Skip to content
      </button>
      <SignInBar signIn={signIn} />
      <main id="ws-main" ref={main} tabIndex={-1}>
        {client && session.status === "signed-in" ? (
          // Keyed on the user: switching user starts every page afresh, forms and break glass too.
          <Page
            key={session.user.username}
            route={route}
            client={client}
            user={session.user}
            announce={announce}
          />
        ) : (
          <>
            <h1 tabIndex={-1} className="ws-page-title">
              MASH practitioners' workspace
            </h1>
            <p>Sign in to see the research requests and enquiries waiting for your agency.</p>
          </>
        )}
      </main>
      <div className="ws-visually-hidden" role="status" aria-live="polite">
        {announcement}
      </div>
    </>
  );
}

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
