import { useId, useState } from "react";
import { agenciesIn, type ChronologyItem, filterChronology } from "./chronology.ts";
import { agencyName, when } from "./names.ts";

/** The merged timeline, with one checkbox per agency; none ticked shows every agency. */
export function ChronologyView({ items }: { items: readonly ChronologyItem[] }) {
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const id = useId();
  const shown = filterChronology(items, chosen);
  const toggle = (agency: string, on: boolean) =>
    setChosen((current) => {
      const next = new Set(current);
      if (on) next.add(agency);
      else next.delete(agency);
      return next;
    });
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Chronology</h2>
      <fieldset className="ws-filter">
        <legend>Show agencies (none ticked: all)</legend>
        {agenciesIn(items).map((agency) => (
          <span key={agency} className="ws-field-inline">
            <input
              id={`${id}-${agency}`}
              type="checkbox"
              checked={chosen.has(agency)}
              onChange={(event) => toggle(agency, event.currentTarget.checked)}
            />
            <label htmlFor={`${id}-${agency}`}>{agencyName(agency)}</label>
          </span>
        ))}
      </fieldset>
      <p aria-live="polite">
        {shown.length} of {items.length} dated items
      </p>
      <ol className="ws-chronology">
        {shown.map((item) => (
          <li key={item.key} data-agency={item.agency}>
            <time dateTime={item.at}>{when(item.at)}</time>{" "}
            <span className="ws-agency">{agencyName(item.agency)}</span>: {item.what}
            {item.detail ? ` — ${item.detail}` : ""}
          </li>
        ))}
      </ol>
    </section>
  );
}
