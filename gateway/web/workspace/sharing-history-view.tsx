import { agencyName, when } from "./names.ts";
import { decisionWords, historyLines, type RecordedDecision } from "./sharing-history.ts";

/**
 * Every sharing decision recorded for the enquiry, oldest first: who, for which agency, when, what
 * and why, each agency's current one marked and an amended one saying when it was replaced.
 */
export function SharingDecisionHistory({
  history,
}: {
  history: readonly RecordedDecision[] | null | undefined;
}) {
  const lines = historyLines(history ?? []);
  return (
    <section aria-labelledby="ws-sharing-history">
      <h2 id="ws-sharing-history">Sharing decisions recorded</h2>
      {history == null ? (
        <p>The sharing-decision history is not available here (see what is withheld below).</p>
      ) : lines.length === 0 ? (
        <p>No sharing decision recorded yet.</p>
      ) : (
        <table className="ws-table">
          <caption className="ws-visually-hidden">
            Every sharing decision recorded, oldest first
          </caption>
          <thead>
            <tr>
              <th scope="col">Recorded</th>
              <th scope="col">Agency</th>
              <th scope="col">By</th>
              <th scope="col">Decision</th>
              <th scope="col">Reason</th>
              <th scope="col">Stands</th>
            </tr>
          </thead>
          <tbody>
            {lines.map(({ decision, current, amendedAt }) => (
              <tr
                key={`${decision.agency}:${decision.recordedAt}:${decision.recordedBy}:${decision.reason}`}
                data-agency={decision.agency}
                data-current={current ? "true" : "false"}
              >
                <td>{when(decision.recordedAt)}</td>
                <th scope="row">{agencyName(decision.agency)}</th>
                <td>{decision.recordedBy}</td>
                <td>{decisionWords(decision.decision)}</td>
                <td>{decision.reason}</td>
                <td>
                  {current ? (
                    <span className="ws-current">Current decision</span>
                  ) : (
                    `Amended ${when(amendedAt)}`
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
