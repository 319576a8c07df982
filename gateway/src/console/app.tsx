import "graphiql/graphiql.css";
import "./app.css";
import operations from "mash:contract-operations";
import { GraphiQL, type GraphiQLProps } from "graphiql";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { buildDefaultTabs } from "./examples.ts";

/**
 * Shown on every page until the gateway enforces authorization; set to null to drop the banner.
 */
const DEVELOPMENT_WARNING: string | null = "Development build: authorization is not enforced yet";

const ENDPOINT = "/graphql";

const NEW_TAB_QUERY = "# Write an operation against the MASH graph; Ctrl-Enter runs it.\n";

// A hand-written fetcher instead of @graphiql/toolkit: that package is only a transitive
// dependency here, and the console needs nothing beyond a same-origin JSON POST.
const fetcher: GraphiQLProps["fetcher"] = async (params, options) => {
  const headers = new Headers({
    "content-type": "application/json",
    accept: "application/graphql-response+json, application/json;q=0.9",
  });
  for (const [name, value] of Object.entries(options?.headers ?? {})) {
    headers.set(name, String(value));
  }
  const response = await fetch(ENDPOINT, {
    method: "POST",
    headers,
    body: JSON.stringify(params),
    credentials: "same-origin",
  });
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    // A proxy or a crashed gateway can answer with HTML or plain text; show it rather than hang.
    const message = `HTTP ${response.status} ${response.statusText}: ${text.slice(0, 500)}`;
    return { errors: [{ message }] };
  }
};

/**
 * Tabs and variables can hold names and dates of birth of children. Session storage keeps them
 * across reloads but not on a shared council workstation after the browser window closes.
 */
function sessionStorageIfAvailable(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}

function Console() {
  return (
    <div className="mash-console">
      <header className="mash-console-header">
        <h1 className="mash-console-title">MASH Gateway console</h1>
        {DEVELOPMENT_WARNING === null ? null : (
          <p className="mash-console-warning" role="note">
            <span aria-hidden="true">⚠ </span>
            {DEVELOPMENT_WARNING}
          </p>
        )}
      </header>
      <main className="mash-console-main" aria-label="GraphQL console">
        <GraphiQL
          fetcher={fetcher}
          defaultTabs={buildDefaultTabs(operations)}
          defaultQuery={NEW_TAB_QUERY}
          defaultEditorToolsVisibility
          isHeadersEditorEnabled
          // Headers will carry bearer tokens once authorization lands; never write them to storage.
          shouldPersistHeaders={false}
          storage={sessionStorageIfAvailable()}
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
