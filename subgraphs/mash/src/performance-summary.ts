import { ENQUIRY_OUTCOMES } from "./decision.ts";
import type { ReportRow } from "./performance-query.ts";
import { RAGS, type Rag } from "./settings.ts";

export interface RagCount {
  rag: string;
  count: number;
}

export interface TimelinessCount {
  agency: string;
  rag: string;
  total: number;
  withinTimescale: number;
  share: number;
}

export interface OutcomeCount {
  outcome: string;
  count: number;
}

export interface MashPerformanceView {
  from: string;
  to: string;
  contacts: number;
  enquiriesOpened: number;
  openedWithoutContact: number;
  enquiriesByRag: RagCount[];
  research: TimelinessCount[];
  decisions: TimelinessCount[];
  medianHoursToDecision: number | null;
  outcomes: OutcomeCount[];
}

const ragOrder = (rag: string) => {
  const i = RAGS.indexOf(rag as Rag);
  return i < 0 ? RAGS.length : i;
};

function timeliness(rows: ReportRow[]): TimelinessCount[] {
  return rows
    .map((r) => {
      const total = Number(r.total);
      const withinTimescale = Number(r.within ?? 0);
      return {
        agency: r.agency ?? "",
        rag: r.rag ?? "",
        total,
        withinTimescale,
        share: withinTimescale / total,
      };
    })
    .sort(
      (a, b) =>
        (a.agency < b.agency ? -1 : a.agency > b.agency ? 1 : 0) ||
        ragOrder(a.rag) - ragOrder(b.rag),
    );
}

/** The report's view from its statement's rows (see mashPerformance for each figure). */
export function summarise(from: string, to: string, rows: ReportRow[]): MashPerformanceView {
  const of = (kind: ReportRow["kind"]) => rows.filter((r) => r.kind === kind);
  const opened = of("opened");
  const count = (list: ReportRow[], key: "rag" | "outcome", value: string) =>
    Number(list.find((r) => r[key] === value)?.total ?? 0);
  const outcomes = of("outcome");
  // Outcomes outside the schema's list are kept, so they show up rather than vanish.
  const stored = outcomes
    .map((r) => r.outcome ?? "")
    .filter((o) => !(ENQUIRY_OUTCOMES as readonly string[]).includes(o));
  const hours = of("median")[0]?.hours;
  return {
    from,
    to,
    contacts: Number(of("contacts")[0]?.total ?? 0),
    enquiriesOpened: opened.reduce((n, r) => n + Number(r.total), 0),
    openedWithoutContact: opened.reduce((n, r) => n + Number(r.within ?? 0), 0),
    enquiriesByRag: [
      ...RAGS,
      ...opened.map((r) => r.rag ?? "").filter((rag) => ragOrder(rag) === RAGS.length),
    ].map((rag) => ({ rag, count: count(opened, "rag", rag) })),
    research: timeliness(of("research")),
    decisions: timeliness(of("decisions")),
    medianHoursToDecision: hours === null || hours === undefined ? null : Number(hours),
    outcomes: [...ENQUIRY_OUTCOMES, ...stored].map((outcome) => ({
      outcome,
      count: count(outcomes, "outcome", outcome),
    })),
  };
}
