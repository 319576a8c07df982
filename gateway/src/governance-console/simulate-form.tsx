import { type FormEvent, useState } from "react";
import { ProblemAlert, StatusMessage } from "./feedback.tsx";
import { count, words } from "./format.ts";
import { ProblemList } from "./policy-text.tsx";
import { SIMULATE } from "./queries.ts";
import type { Simulation, SimulationInput } from "./types.ts";
import { useGovernance, useOperation } from "./use-api.ts";

/** What a role would see of one subject, under the edited text or the live policy. */
export function SimulateForm({
  roles,
  text,
  onGoTo,
}: {
  roles: readonly string[];
  text: string;
  onGoTo(line: number): void;
}) {
  const [role, setRole] = useState("");
  const [subjectId, setSubjectId] = useState("");
  const [enquiryId, setEnquiryId] = useState("");
  const [breakGlass, setBreakGlass] = useState(false);
  const [useEdited, setUseEdited] = useState(true);
  // A subject's data spans every agency; the officer's own fields are what their rules decide.
  const [ownOnly, setOwnOnly] = useState(true);
  const { officer } = useGovernance();
  const simulate = useOperation<{ simulate: Simulation }>(SIMULATE);
  const chosenRole = role || roles[0] || "";

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const input: SimulationInput = {
      role: chosenRole,
      subjectId: subjectId.trim(),
      breakGlass,
      ...(enquiryId.trim() ? { enquiryId: enquiryId.trim() } : {}),
      ...(useEdited ? { text } : {}),
    };
    void simulate.run({ input });
  };
  const { outcome } = simulate;
  const result = outcome.status === "done" ? outcome.data.simulate : undefined;
  const shown = result?.fields.filter((field) => !ownOnly || field.owner === officer.agency) ?? [];
  return (
    <section className="gov-card" aria-labelledby="gov-simulate-heading">
      <h3 id="gov-simulate-heading">Simulate</h3>
      <form className="gov-form gov-form-row" onSubmit={submit}>
        <div className="gov-field">
          <label htmlFor="gov-sim-role">Role</label>
          <select id="gov-sim-role" value={chosenRole} onChange={(e) => setRole(e.target.value)}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {words(r)}
              </option>
            ))}
          </select>
        </div>
        <div className="gov-field">
          <label htmlFor="gov-sim-subject">Subject id</label>
          <input
            id="gov-sim-subject"
            required
            value={subjectId}
            placeholder="S-1003"
            onChange={(e) => setSubjectId(e.target.value)}
          />
        </div>
        <div className="gov-field">
          <label htmlFor="gov-sim-enquiry">Enquiry id (optional)</label>
          <input
            id="gov-sim-enquiry"
            value={enquiryId}
            placeholder="ENQ-2001"
            onChange={(e) => setEnquiryId(e.target.value)}
          />
        </div>
        <div className="gov-check">
          <input
            id="gov-sim-break-glass"
            type="checkbox"
            checked={breakGlass}
            onChange={(e) => setBreakGlass(e.target.checked)}
          />
          <label htmlFor="gov-sim-break-glass">Break glass</label>
        </div>
        <div className="gov-check">
          <input
            id="gov-sim-edited"
            type="checkbox"
            checked={useEdited}
            onChange={(e) => setUseEdited(e.target.checked)}
          />
          <label htmlFor="gov-sim-edited">Use the edited text (else the policy in force)</label>
        </div>
        <div className="gov-check">
          <input
            id="gov-sim-own"
            type="checkbox"
            checked={ownOnly}
            onChange={(e) => setOwnOnly(e.target.checked)}
          />
          <label htmlFor="gov-sim-own">Only {officer.agencyTitle} fields</label>
        </div>
        <button type="submit" className="gov-button" disabled={!chosenRole || !subjectId.trim()}>
          Simulate
        </button>
      </form>
      <StatusMessage
        text={
          outcome.status === "running"
            ? "Simulating…"
            : result
              ? `${count(result.fields.length, "field")}; ${result.fields.filter((f) => f.visible).length} visible. ${
                  result.inEnquiry ? "The enquiry links this subject." : "Not in an enquiry."
                }`
              : ""
        }
      />
      <ProblemAlert
        title="Simulation failed"
        problems={outcome.status === "error" ? outcome.problems : undefined}
      />
      {result ? (
        <>
          <ProblemList id="gov-sim-problems" problems={result.problems} onGoTo={onGoTo} />
          <table className="gov-table" data-testid="simulation">
            <caption>
              What the role would see (values masked): {shown.length} of {result.fields.length}{" "}
              fields
            </caption>
            <thead>
              <tr>
                <th scope="col">Path</th>
                <th scope="col">Field</th>
                <th scope="col">Owner</th>
                <th scope="col">Visible</th>
                <th scope="col">Rule</th>
                <th scope="col">Value</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((field) => (
                <tr key={field.path}>
                  <td className="gov-mono">{field.path}</td>
                  <td className="gov-mono">{field.field}</td>
                  <td>{words(field.owner)}</td>
                  <td>
                    <span
                      className={
                        field.visible
                          ? "gov-access gov-access-allowed"
                          : "gov-access gov-access-denied"
                      }
                    >
                      {field.visible ? "Visible" : "Withheld"}
                    </span>
                  </td>
                  <td className="gov-mono">{field.rule ?? ""}</td>
                  <td className="gov-mono">{field.masked ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}
