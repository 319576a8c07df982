import type { Enquiry } from "./enquiry-type.ts";
import { agencyName, enumWords, when } from "./names.ts";
import { TimeLeft } from "./parts.tsx";
import { timeLeftWords } from "./time-left.ts";

/** Each agency's part: asked or released, its answer, its sharing decision. */
export function Research({ enquiry, now }: { enquiry: Enquiry; now: Date }) {
  const decisions = new Map((enquiry.sharingDecisions ?? []).map((d) => [d.agency, d]));
  const agencies = [
    ...new Set([
      ...(enquiry.lead ? [enquiry.lead] : []),
      ...(enquiry.research ?? []).map((r) => r.agency),
      ...decisions.keys(),
    ]),
  ];
  return (
    <section aria-labelledby="ws-research">
      <h2 id="ws-research">Each agency's part</h2>
      <table className="ws-table">
        <thead>
          <tr>
            <th scope="col">Agency</th>
            <th scope="col">Research</th>
            <th scope="col">Answer</th>
            <th scope="col">Sharing decision</th>
          </tr>
        </thead>
        <tbody>
          {agencies.map((agency) => {
            const request = (enquiry.research ?? []).find((r) => r.agency === agency);
            const decision = decisions.get(agency);
            return (
              <tr key={agency} data-agency={agency}>
                <th scope="row">{agencyName(agency)}</th>
                <td>
                  {agency === enquiry.lead && !request ? "Leads the enquiry" : null}
                  {request?.releasedAt
                    ? `Released ${when(request.releasedAt)}: ${request.releaseReason ?? ""}`
                    : null}
                  {request && !request.releasedAt ? (
                    <>
                      Asked {when(request.askedAt)};{" "}
                      <TimeLeft
                        words={timeLeftWords(
                          { ...request, doneAt: request.answer?.answeredAt },
                          now,
                          "answered",
                        )}
                      />
                    </>
                  ) : null}
                </td>
                <td>
                  {request?.answer
                    ? request.answer.nothingKnown
                      ? "Nothing known"
                      : (request.answer.finding ?? "Withheld")
                    : request?.releasedAt
                      ? "Released before answering"
                      : request
                        ? "Not answered yet"
                        : ""}
                </td>
                <td>
                  {decision
                    ? `${enumWords(decision.decision)}: ${decision.reason} (${decision.recordedBy}, ${when(decision.recordedAt)})`
                    : "None recorded"}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
