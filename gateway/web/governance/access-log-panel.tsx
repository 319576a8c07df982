import { type FormEvent, useState } from "react";
import { ProblemAlert } from "../shared/problem-alert.tsx";
import { StatusMessage } from "./feedback.tsx";
import { count, when, words } from "./format.ts";
import { ACCESS_LOG } from "./queries.ts";
import type { AccessEntry, AccessLogFilter, AccessTraffic } from "./types.ts";
import { usePaged } from "./use-paged.ts";

interface FilterForm {
  subjectId: string;
  userId: string;
  enquiryId: string;
  from: string;
  to: string;
  breakGlass: "" | "yes" | "no";
  traffic: AccessTraffic;
}

const EMPTY: FilterForm = {
  subjectId: "",
  userId: "",
  enquiryId: "",
  from: "",
  to: "",
  breakGlass: "",
  traffic: "PRACTITIONERS",
};

/** datetime-local gives local wall-clock time; the API takes ISO 8601 instants. */
function isoOf(local: string): string | undefined {
  if (!local) return undefined;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export function toFilter(form: FilterForm): AccessLogFilter {
  const filter: AccessLogFilter = {};
  if (form.subjectId.trim()) filter.subjectId = form.subjectId.trim();
  if (form.userId.trim()) filter.userId = form.userId.trim();
  if (form.enquiryId.trim()) filter.enquiryId = form.enquiryId.trim();
  const from = isoOf(form.from);
  const to = isoOf(form.to);
  if (from) filter.from = from;
  if (to) filter.to = to;
  if (form.breakGlass) filter.breakGlass = form.breakGlass === "yes";
  if (form.traffic !== "PRACTITIONERS") filter.traffic = form.traffic;
  return filter;
}

const TEXT_FILTERS = [
  ["subjectId", "Filter by subject id"],
  ["userId", "Filter by user"],
  ["enquiryId", "Filter by enquiry id"],
] as const;

/** Who accessed this agency's data, newest first, narrowed by any of the filters. */
export function AccessLogPanel() {
  const [form, setForm] = useState<FilterForm>(EMPTY);
  const [filter, setFilter] = useState<AccessLogFilter>({});
  const log = usePaged<
    AccessEntry,
    { accessLog: { entries: AccessEntry[]; nextCursor: string | null } }
  >(ACCESS_LOG, { filter }, (data) => ({
    items: data.accessLog.entries,
    nextCursor: data.accessLog.nextCursor,
  }));
  const set = (key: keyof FilterForm, value: string) => setForm((f) => ({ ...f, [key]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFilter(toFilter(form));
  };
  return (
    <section aria-labelledby="gov-log-heading">
      <h2 id="gov-log-heading">Access log</h2>
      <form className="gov-form gov-form-row" onSubmit={submit} aria-label="Access log filters">
        {TEXT_FILTERS.map(([key, label]) => (
          <div className="gov-field" key={key}>
            <label htmlFor={`gov-log-${key}`}>{label}</label>
            <input
              id={`gov-log-${key}`}
              value={form[key]}
              onChange={(e) => set(key, e.target.value)}
            />
          </div>
        ))}
        <div className="gov-field">
          <label htmlFor="gov-log-from">From (inclusive, local time)</label>
          <input
            id="gov-log-from"
            type="datetime-local"
            value={form.from}
            onChange={(e) => set("from", e.target.value)}
          />
        </div>
        <div className="gov-field">
          <label htmlFor="gov-log-to">To (exclusive, local time)</label>
          <input
            id="gov-log-to"
            type="datetime-local"
            value={form.to}
            onChange={(e) => set("to", e.target.value)}
          />
        </div>
        <div className="gov-field">
          <label htmlFor="gov-log-break-glass">Filter by break glass</label>
          <select
            id="gov-log-break-glass"
            value={form.breakGlass}
            onChange={(e) => set("breakGlass", e.target.value)}
          >
            <option value="">Any</option>
            <option value="yes">Only break glass</option>
            <option value="no">Without break glass</option>
          </select>
        </div>
        <div className="gov-field">
          <label htmlFor="gov-log-traffic">Whose requests</label>
          <select
            id="gov-log-traffic"
            value={form.traffic}
            onChange={(e) => set("traffic", e.target.value)}
          >
            <option value="PRACTITIONERS">Practitioners' access to data</option>
            <option value="GOVERNANCE">Officers' own console traffic</option>
            <option value="ALL">Both</option>
          </select>
        </div>
        <button type="submit" className="gov-button gov-primary">
          Apply filters
        </button>
        <button
          type="button"
          className="gov-button"
          onClick={() => {
            setForm(EMPTY);
            setFilter({});
          }}
        >
          Clear filters
        </button>
      </form>
      <StatusMessage
        testId="access-log-status"
        text={
          log.loading
            ? "Loading the access log…"
            : `${count(log.items.length, "entry", "entries")} shown.`
        }
      />
      <ProblemAlert title="Could not load the access log" problems={log.problems} />
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard */}
      <section className="gov-scroll" aria-label="Access log entries" tabIndex={0}>
        <table className="gov-table" data-testid="access-log">
          <caption>Accesses to this agency's data, newest first (times in UTC)</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">User</th>
              <th scope="col">Enquiry</th>
              <th scope="col">Break glass</th>
              <th scope="col">Operation or action</th>
              <th scope="col">Outcome</th>
              <th scope="col">Subjects</th>
              <th scope="col">Released</th>
              <th scope="col">Withheld (rule)</th>
            </tr>
          </thead>
          <tbody>
            {log.items.map((entry) => (
              <tr key={entry.seq}>
                <td>{when(entry.at)}</td>
                <td>
                  {entry.userId}
                  <span className="gov-hint-dark">
                    {" "}
                    {[entry.userAgency, ...entry.roles]
                      .filter(Boolean)
                      .map((w) => words(w ?? ""))
                      .join(", ")}
                  </span>
                </td>
                <td>{entry.enquiryId ?? ""}</td>
                <td>{entry.breakGlassReason ? `Yes: ${entry.breakGlassReason}` : "No"}</td>
                <td className="gov-mono">{entry.action ?? entry.operationName ?? ""}</td>
                <td>{entry.outcome}</td>
                <td className="gov-mono">{entry.subjects.join(", ")}</td>
                <td className="gov-mono gov-wrap">{entry.released.join(", ")}</td>
                <td className="gov-mono gov-wrap">
                  {entry.withheld.map((w) => `${w.field} (${w.rule})`).join(", ")}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {log.nextCursor ? (
        <button type="button" className="gov-button" disabled={log.loading} onClick={log.loadMore}>
          Load more
        </button>
      ) : log.items.length > 0 ? (
        <p>End of the log.</p>
      ) : null}
    </section>
  );
}
