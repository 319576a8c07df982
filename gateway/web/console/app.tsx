import "graphiql/graphiql.css";
import "./app.css";
import operations from "mash:contract-operations";
import { GraphiQL } from "graphiql";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { buildDefaultTabs } from "./default-tabs.ts";
import { HeaderBar } from "./header-bar.tsx";
import { useSession } from "./use-session.ts";

const NEW_TAB_QUERY = "# Write an operation against the MASH graph; Ctrl-Enter runs it.\n";

/**
 * Tabs and variables can hold names and dates of birth of children. Session storage keeps them
 * across reloads but not on a shared council workstation after the browser window closes.
 * Headers (bearer tokens) are never stored: see shouldPersistHeaders below and use-session.ts.
 */
function sessionStorageIfAvailable(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}

const storage = sessionStorageIfAvailable();
const defaultTabs = buildDefaultTabs(operations);

// GraphiQL 3.8 opens its first default tab with that tab's query but an empty Variables editor:
// it takes variables only from its `variables` prop or from storage. On a fresh session (no tabs
// stored under its "graphiql:" namespace yet) hand it the first tab's example, so SubjectOverview
// runs as soon as the page opens; afterwards storage already holds what the user had.
const initialVariables = storage?.getItem("graphiql:tabState")
  ? undefined
  : (defaultTabs[0]?.variables ?? undefined);

function Console() {
  const session = useSession();
  return (
    <div className="mash-console">
      <HeaderBar session={session} />
      <main className="mash-console-main" aria-label="GraphQL console">
        <GraphiQL
          fetcher={session.fetcher}
          defaultTabs={defaultTabs}
          variables={initialVariables}
          defaultQuery={NEW_TAB_QUERY}
          defaultEditorToolsVisibility
          // A governance officer's role schema is a Query with no fields: shown empty, not as an error.
          dangerouslyAssumeSchemaIsValid
          isHeadersEditorEnabled
          // Headers typed here may carry bearer tokens; never write them to storage.
          shouldPersistHeaders={false}
          storage={storage}
        >
          {/* Replaces the default logo, a link to GitHub that is dead on an air-gapped network. */}
          <GraphiQL.Logo>GraphiQL</GraphiQL.Logo>
        </GraphiQL>
      </main>
    </div>
  );
}

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");
createRoot(root).render(
  <StrictMode>
    <Console />
  </StrictMode>,
);
