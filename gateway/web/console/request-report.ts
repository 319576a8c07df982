import type { RequestReport } from "./fetcher.ts";
import { returnedBy } from "./returned-ids.ts";

/** The status line's words for the last request: the id to quote, or why there is none. */
export interface RequestLine {
  /** Before the id, or the whole line when there is no id. */
  readonly lead: string;
  readonly requestId?: string;
  /** After the id: the HTTP status, the operation, and any ids the console filled in. */
  readonly detail?: string;
}

export const NO_REQUEST_YET: RequestLine = {
  lead: "Request id: none yet. Each request you run shows its id here; quote it if you report a problem.",
};

const named = (operationName: string | undefined) => (operationName ? `, ${operationName}` : "");

export function describeRequest(report: RequestReport | undefined): RequestLine {
  if (!report) return NO_REQUEST_YET;
  switch (report.kind) {
    case "not-sent":
      return { lead: `Not sent, so no request id: ${report.reason}.` };
    case "unreachable":
      return { lead: `The gateway could not be reached, so no request id: ${report.reason}.` };
    case "answered": {
      const answer = `HTTP ${report.status}${named(report.operationName)}`;
      const filled = report.filled
        .map(({ step, id }) => ` Sent ${id} for "${returnedBy(step)}".`)
        .join("");
      if (!report.requestId) {
        return { lead: `The answer (${answer}) carried no X-Request-Id.${filled}` };
      }
      return {
        lead: "Request id: ",
        requestId: report.requestId,
        detail: ` (${answer}).${filled}`,
      };
    }
  }
}
