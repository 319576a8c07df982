import { useEffect, useRef, useState } from "react";
import { ProblemAlert } from "../shared/problem-alert.tsx";
import { StatusMessage } from "./feedback.tsx";
import { POLICY_VERSIONS } from "./queries.ts";
import type { PolicyVersion } from "./types.ts";
import { latest, useGovernance, useQuery } from "./use-api.ts";
import { VersionCard } from "./version-card.tsx";

/** Every stored version of the agency's policy, newest first, with what can be done to each. */
export function VersionsPanel() {
  const [message, setMessage] = useState("");
  const { visits, shownVersion } = useGovernance();
  const versions = useQuery<{ policyVersions: PolicyVersion[] }>(
    POLICY_VERSIONS,
    { first: 50 },
    { refreshOn: visits.versions },
  );
  const list = latest(versions)?.policyVersions;
  const numbers = new Map((list ?? []).map((v) => [v.id, `version ${v.number}`]));

  // The inbox asked for a version: move focus to its card once it is listed, once per ask.
  const focused = useRef(0);
  useEffect(() => {
    if (!shownVersion || focused.current === shownVersion.nonce) return;
    if (!list?.some((v) => v.number === shownVersion.number)) return;
    const card = document.getElementById(`gov-version-card-${shownVersion.number}`);
    if (!card) return;
    focused.current = shownVersion.nonce;
    card.scrollIntoView({ block: "start" });
    card.focus({ preventScroll: true });
  }, [shownVersion, list]);
  return (
    <section aria-labelledby="gov-versions-heading">
      <h2 id="gov-versions-heading">Proposals and history</h2>
      <StatusMessage text={message} testId="versions-message" />
      <div className="gov-toolbar">
        <StatusMessage
          testId="versions-status"
          text={
            versions.status === "loading"
              ? "Loading versions…"
              : list
                ? `${list.length} ${list.length === 1 ? "version" : "versions"}.`
                : ""
          }
        />
        <button type="button" className="gov-button" onClick={versions.reload}>
          Reload versions
        </button>
      </div>
      <ProblemAlert
        title="Could not load the versions"
        problems={versions.status === "error" ? versions.problems : undefined}
      />
      {list && list.length === 0 ? (
        <p>No versions stored yet: the repository's policy file is in force.</p>
      ) : null}
      <ol className="gov-versions">
        {(list ?? []).map((version) => (
          <li key={version.id}>
            <VersionCard
              version={version}
              restoredLabel={numbers.get(version.restoredFrom ?? "")}
              onDone={setMessage}
            />
          </li>
        ))}
      </ol>
    </section>
  );
}
