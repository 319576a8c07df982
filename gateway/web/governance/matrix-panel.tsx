import { useState } from "react";
import { ProblemAlert } from "../shared/problem-alert.tsx";
import { StatusMessage } from "./feedback.tsx";
import { ACCESS_LABEL, accessClass, when, words } from "./format.ts";
import { LIVE_POLICY } from "./queries.ts";
import type { Access, AgencyPolicy, MatrixCell } from "./types.ts";
import { latest, useGovernance, useQuery } from "./use-api.ts";

const PURPOSES = [
  ["outside", "Outside"],
  ["inEnquiry", "In enquiry"],
  ["breakGlass", "Break glass"],
] as const;

function CellView({ cell }: { cell: MatrixCell | undefined }) {
  if (!cell) return <td>Not listed</td>;
  return (
    <td>
      <ul className="gov-cell">
        {PURPOSES.map(([key, label]) => {
          const access: Access = cell[key];
          return (
            <li key={key}>
              <span className="gov-purpose">{label}:</span>{" "}
              <span className={accessClass(access)}>{ACCESS_LABEL[access]}</span>
            </li>
          );
        })}
      </ul>
      {cell.condition ? <p className="gov-condition">When {cell.condition}</p> : null}
      {cell.rules.length > 0 ? <p className="gov-rules">{cell.rules.join(", ")}</p> : null}
    </td>
  );
}

/** The live policy as the roles x fields table that governance boards review. */
export function MatrixPanel() {
  const { visits } = useGovernance();
  const policy = useQuery<{ livePolicy: AgencyPolicy }>(LIVE_POLICY, undefined, {
    refreshOn: visits.matrix,
  });
  const [role, setRole] = useState("");
  const live = latest(policy)?.livePolicy;
  const roles = live ? live.matrix.roles.filter((r) => !role || r === role) : [];
  return (
    <section aria-labelledby="gov-matrix-heading">
      <h2 id="gov-matrix-heading">Who sees what: the policy in force</h2>
      <StatusMessage
        text={
          policy.status === "loading"
            ? "Loading the policy in force…"
            : live
              ? live.version
                ? `Version ${live.version.number}, published ${when(live.version.publishedAt)}.`
                : "The repository's policy file is in force (no published version yet)."
              : ""
        }
      />
      <ProblemAlert
        title="Could not load the policy in force"
        problems={policy.status === "error" ? policy.problems : undefined}
      />
      {live ? (
        <>
          <div className="gov-toolbar">
            <div className="gov-field">
              <label htmlFor="gov-matrix-role">Show role</label>
              <select id="gov-matrix-role" value={role} onChange={(e) => setRole(e.target.value)}>
                <option value="">Every role</option>
                {live.matrix.roles.map((r) => (
                  <option key={r} value={r}>
                    {words(r)}
                  </option>
                ))}
              </select>
            </div>
            <button type="button" className="gov-button" onClick={policy.reload}>
              Reload
            </button>
          </div>
          {/* Focusable so keyboard users can scroll a table wider than the window. */}
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard */}
          <section className="gov-scroll" aria-labelledby="gov-matrix-caption" tabIndex={0}>
            <table className="gov-table gov-matrix" data-testid="policy-matrix">
              <caption id="gov-matrix-caption">
                {`${words(live.agency)} fields by role: outside an enquiry, in an enquiry, with break glass`}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Field</th>
                  {roles.map((r) => (
                    <th key={r} scope="col">
                      {words(r)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {live.matrix.rows.map((row) => (
                  <tr key={row.field}>
                    <th scope="row" className="gov-mono">
                      {row.field}
                    </th>
                    {roles.map((r) => (
                      <CellView key={r} cell={row.cells.find((cell) => cell.role === r)} />
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      ) : null}
    </section>
  );
}
