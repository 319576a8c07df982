import { ProblemAlert } from "../shared/problem-alert.tsx";
import { StatusMessage } from "./feedback.tsx";
import { count, words } from "./format.ts";
import { SHADOW_REPORT } from "./queries.ts";
import type { ShadowReport } from "./types.ts";
import { useQuery } from "./use-api.ts";

const CHANGE_LABEL: Readonly<Record<string, string>> = {
  WOULD_RELEASE: "Would release",
  WOULD_WITHHOLD: "Would withhold",
};

/** What a proposal in shadow mode would have changed on real traffic since it was proposed. */
export function ShadowReportView({ versionId }: { versionId: string }) {
  const report = useQuery<{ shadowReport: ShadowReport }>(SHADOW_REPORT, { versionId });
  const data = report.status === "ready" ? report.data.shadowReport : undefined;
  return (
    <div className="gov-shadow" data-testid="shadow-report">
      <StatusMessage
        text={
          report.status === "loading"
            ? "Loading the shadow report…"
            : data
              ? `${count(data.requestsObserved, "request")} observed; ${count(data.differences.length, "difference")}.`
              : ""
        }
      />
      <ProblemAlert
        title="Could not load the shadow report"
        problems={report.status === "error" ? report.problems : undefined}
      />
      {data && data.differences.length > 0 ? (
        <table className="gov-table">
          <caption>Differences on real traffic</caption>
          <thead>
            <tr>
              <th scope="col">Role</th>
              <th scope="col">Field</th>
              <th scope="col">Change</th>
              <th scope="col">Requests</th>
            </tr>
          </thead>
          <tbody>
            {data.differences.map((difference) => (
              <tr key={`${difference.role}|${difference.field}|${difference.change}`}>
                <td>{words(difference.role)}</td>
                <td className="gov-mono">{difference.field}</td>
                <td>{CHANGE_LABEL[difference.change] ?? difference.change}</td>
                <td className="gov-number">{difference.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <button type="button" className="gov-button" onClick={report.reload}>
        Refresh shadow report
      </button>
    </div>
  );
}
