import { ACCESS_LABEL, accessClass, PURPOSE_LABEL, words } from "./format.ts";
import type { Access, AffectedCount, Impact } from "./types.ts";

function AccessText({ access, condition }: { access: Access; condition: string | null }) {
  return (
    <>
      <span className={accessClass(access)}>{ACCESS_LABEL[access]}</span>
      {condition ? <span className="gov-condition"> when {condition}</span> : null}
    </>
  );
}

const CHANGE_LABEL: Readonly<Record<string, string>> = {
  GAIN: "Gains access",
  LOSS: "Loses access",
  CONDITION_CHANGED: "Condition changes",
};

/** Who gains or loses what if the edited text replaced the policy in force. */
export function ImpactView({ impact }: { impact: Impact }) {
  return (
    <div data-testid="impact">
      {impact.changes.length === 0 ? (
        <p>No role gains or loses access to any field: the text decides exactly as before.</p>
      ) : (
        <table className="gov-table" data-testid="impact-changes">
          <caption>
            {impact.changes.length === 1 ? "1 change" : `${impact.changes.length} changes`} of
            access
          </caption>
          <thead>
            <tr>
              <th scope="col">Role</th>
              <th scope="col">Field</th>
              <th scope="col">Purpose</th>
              <th scope="col">Before</th>
              <th scope="col">After</th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {impact.changes.map((change) => (
              <tr key={`${change.role}|${change.field}|${change.purpose}`}>
                <td>{words(change.role)}</td>
                <td className="gov-mono">{change.field}</td>
                <td>{PURPOSE_LABEL[change.purpose] ?? change.purpose}</td>
                <td>
                  <AccessText access={change.before} condition={change.beforeCondition} />
                </td>
                <td>
                  <AccessText access={change.after} condition={change.afterCondition} />
                </td>
                <td>{CHANGE_LABEL[change.change] ?? change.change}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {impact.affectedSubjects.length > 0 ? (
        <table className="gov-table gov-narrow" data-testid="impact-subjects">
          <caption>Subjects in the current data with records of the changed types</caption>
          <thead>
            <tr>
              <th scope="col">Type</th>
              <th scope="col">Subjects</th>
            </tr>
          </thead>
          <tbody>
            {impact.affectedSubjects.map((count) => (
              <tr key={count.type}>
                <td className="gov-mono">{count.type}</td>
                <td className="gov-number">{subjectsText(count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <CaseChanges changes={impact.caseChanges} />
    </div>
  );
}

/** A small count is never shown exactly: it could single out the few people it is about. */
function subjectsText(count: AffectedCount): string {
  if (count.subjects !== null) return count.subjects.toLocaleString("en-GB");
  return count.fewerThan !== null ? `fewer than ${count.fewerThan}` : "not known";
}

const passText = (passed: boolean) => (passed ? "Passes" : "Fails");

/** The agency's policy test cases the text changes: what a reviewer should look at first. */
function CaseChanges({ changes }: { changes: Impact["caseChanges"] | undefined }) {
  if (!changes) return null;
  if (changes.length === 0)
    return <p data-testid="impact-cases">No policy test case of the agency changes.</p>;
  return (
    <table className="gov-table" data-testid="impact-cases">
      <caption>
        {changes.length === 1 ? "1 policy test case" : `${changes.length} policy test cases`}{" "}
        changed
      </caption>
      <thead>
        <tr>
          <th scope="col">Case</th>
          <th scope="col">Before</th>
          <th scope="col">After</th>
          <th scope="col">Now shown</th>
          <th scope="col">Now withheld</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((change) => (
          <tr key={change.name}>
            <th scope="row">{change.name}</th>
            <td>{passText(change.passedBefore)}</td>
            <td>{passText(change.passedAfter)}</td>
            <td className="gov-mono gov-wrap">{change.nowVisible.join(", ") || "None"}</td>
            <td className="gov-mono gov-wrap">{change.nowWithheld.join(", ") || "None"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
