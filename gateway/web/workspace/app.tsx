import "./app.css";
import { createClient, type MashClient } from "@mash/client-kit";
import { StrictMode, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { createRoot } from "react-dom/client";
import { describeProblem } from "../shared/api-error.ts";
import { DEVELOPMENT_NOTICE, ProviderButton, UserPicker } from "../shared/sign-in-controls.tsx";
import { signedInId, signedOutWhy } from "../shared/sign-in-session.ts";
import { type SignInState, useSignIn } from "../shared/use-sign-in.ts";
import { EnquiryPage } from "./enquiry-page.tsx";
import { InboxPage } from "./inbox-page.tsx";
import { agencyName } from "./names.ts";
import { PersonPage } from "./person-page.tsx";
import { parseRoute, type Route } from "./route.ts";
import { acceptPractitioner, type Practitioner, WORKSPACE_PATH } from "./sign-in.ts";

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

type WorkspaceSignIn = SignInState<Practitioner>;

function whoText({ method, session }: WorkspaceSignIn): string {
  switch (session.status) {
    case "signed-in":
      return `Signed in as ${session.user.name} (${session.user.username}), ${agencyName(session.user.agency)}`;
    case "working":
      return session.message;
    case "refused":
      return session.problems.map(describeProblem).join("; ");
    case "signed-out":
      break;
  }
  const why = signedOutWhy(session);
  switch (method.mode) {
    case "checking":
      return "Checking how this gateway signs people in…";
    case "external":
      return "This gateway signs people in through its identity provider.";
    case "unavailable":
      return method.message;
    case "oidc":
      return `${why ? `${why} ` : ""}Not signed in. Press “Sign in” to sign in with your organisation's account.`;
    case "development":
      return why ? `Could not sign in: ${why} Not signed in.` : "Not signed in.";
  }
}

function SignInBar({ signIn }: { signIn: WorkspaceSignIn }) {
  const { method } = signIn;
  return (
    <header className="ws-header">
      <p className="ws-brand">
        <a href="#/">MASH workspace</a>
      </p>
      {method.mode === "development" ? (
        <div className="ws-sign-in">
          <UserPicker
            id="ws-user"
            users={method.users.filter((user) => !user.roles.includes("governance_officer"))}
            chosen={signIn.chosen}
            choose={signIn.choose}
            none="Signed out"
            label={(user) => `${user.name} (${user.username}, ${agencyName(user.agency)})`}
          />{" "}
          <span className="ws-note">{DEVELOPMENT_NOTICE}</span>
        </div>
      ) : method.mode === "oidc" ? (
        <div className="ws-sign-in">
          <ProviderButton signIn={signIn} />
        </div>
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
  const [announcement, setAnnouncement] = useState("");
  const agencyClaim = useRef<string | undefined>(undefined);
  const signIn = useSignIn<Practitioner>({
    // One address to register with the provider, whichever hash route the user is on.
    redirectPath: WORKSPACE_PATH,
    accept: (_authorization, via) => acceptPractitioner(via, agencyClaim.current),
    idOf: (user) => user.username,
    // Another person (or no one) now: the last one's enquiry is not theirs to carry on with.
    // Signing in from nobody keeps the route: a link opened signed out comes back to it.
    onSwitch: (previous) => {
      if (!previous) return;
      window.location.hash = "#/";
      setAnnouncement("");
    },
  });
  agencyClaim.current =
    signIn.method.mode === "oidc" ? signIn.method.config.claims.agency : undefined;
  const session = signIn.session;
  // Who, not which token: the identity provider renews the token under the same user.
  const username = signedInId(session);
  const route = useRoute(username);
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
