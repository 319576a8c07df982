import "./app.css";
import "./screens.css";
import "./review.css";
import { StrictMode, useCallback, useMemo, useState } from "react";
import { createRoot } from "react-dom/client";
import { AccessLogPanel } from "./access-log-panel.tsx";
import { EditorPanel, type EditorSeed } from "./editor-panel.tsx";
import { words } from "./format.ts";
import { InboxPanel } from "./inbox.tsx";
import { MatrixPanel } from "./matrix-panel.tsx";
import { NotificationsPanel } from "./notifications-panel.tsx";
import { DEVELOPMENT_NOTICE, SignInPanel } from "./sign-in.tsx";
import { Tabs } from "./tabs.tsx";
import type { Officer } from "./types.ts";
import { GovernanceContext, type GovernanceContextValue } from "./use-api.ts";
import { type Session, useSession } from "./use-session.ts";
import { VersionsPanel } from "./versions-panel.tsx";

function Workspace({
  session,
  authorization,
  officer,
}: {
  session: Session;
  authorization: string;
  officer: Officer;
}) {
  const [selected, setSelected] = useState("matrix");
  const [visits, setVisits] = useState<Readonly<Record<string, number>>>({});
  // Publishing reaches this gateway's enforcement a moment after the API answers; coming back
  // to a tab shows the state as it is then, not as it was when the tab was last looked at.
  const select = useCallback((id: string) => {
    setSelected(id);
    setVisits((current) => ({ ...current, [id]: (current[id] ?? 0) + 1 }));
  }, []);
  const [revision, setRevision] = useState(0);
  const [seed, setSeed] = useState<EditorSeed | undefined>();
  const changed = useCallback(() => setRevision((n) => n + 1), []);
  const openInEditor = useCallback(
    (text: string, label: string) => {
      setSeed((current) => ({ text, label, nonce: (current?.nonce ?? 0) + 1 }));
      select("editor");
    },
    [select],
  );
  const [shownVersion, setShownVersion] = useState<GovernanceContextValue["shownVersion"]>();
  const showVersion = useCallback(
    (number: number) => {
      setShownVersion((current) => ({ number, nonce: (current?.nonce ?? 0) + 1 }));
      select("versions");
    },
    [select],
  );
  const context = useMemo<GovernanceContextValue>(
    () => ({
      authorization,
      officer,
      revision,
      changed,
      openInEditor,
      visits,
      showTab: select,
      showVersion,
      shownVersion,
    }),
    [
      authorization,
      officer,
      revision,
      changed,
      openInEditor,
      visits,
      select,
      showVersion,
      shownVersion,
    ],
  );
  const tabs = [
    { id: "matrix", label: "Matrix", content: <MatrixPanel /> },
    { id: "editor", label: "Rule editor", content: <EditorPanel seed={seed} /> },
    { id: "versions", label: "Proposals and history", content: <VersionsPanel /> },
    { id: "access-log", label: "Access log", content: <AccessLogPanel /> },
    { id: "notifications", label: "Notifications", content: <NotificationsPanel /> },
  ];
  return (
    <GovernanceContext.Provider value={context}>
      <div className="gov-who-bar">
        <p data-testid="signed-in-as">
          Signed in as <strong>{officer.name ?? officer.id}</strong> ({officer.id}),{" "}
          {officer.roles.map(words).join(", ")} for <strong>{officer.agencyTitle}</strong>
        </p>
        <button type="button" className="gov-button" onClick={session.signOut}>
          Sign out
        </button>
      </div>
      <InboxPanel />
      <Tabs label="Governance" tabs={tabs} selected={selected} onSelect={select} />
    </GovernanceContext.Provider>
  );
}

function GovernanceConsole() {
  const session = useSession();
  const signIn = session.session;
  return (
    <div className="gov-page">
      <header className="gov-header">
        <h1>MASH governance console</h1>
        {session.method.mode === "development" ? (
          <p className="gov-notice gov-notice-inline">{DEVELOPMENT_NOTICE}</p>
        ) : null}
      </header>
      <main className="gov-main">
        {signIn.status === "signed-in" ? (
          <Workspace
            // A new officer starts from a clean workspace: nothing of the last one's edits. Keyed
            // by who, not by the token, which the identity provider renews under the same officer.
            key={signIn.id}
            session={session}
            authorization={signIn.authorization}
            officer={signIn.user}
          />
        ) : (
          <SignInPanel session={session} />
        )}
      </main>
    </div>
  );
}

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");
createRoot(root).render(
  <StrictMode>
    <GovernanceConsole />
  </StrictMode>,
);
