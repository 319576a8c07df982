import type { UnavailableAgency, WithheldField } from "@mash/client-kit";
import type { ReactNode } from "react";
import { WithheldMark } from "../shared/withheld-badge.tsx";
import { agencyName, enumWords, fieldWords, when } from "./names.ts";
import { Unavailable, WithheldList } from "./parts.tsx";
import { notesUnder, unavailableUnder } from "./withheld.ts";

type Value = string | number | boolean | null | undefined | Value[] | { [key: string]: Value };

const DATE_LIKE = /^\d{4}-\d\d-\d\d(T[\d:.]+Z?)?$/;

function scalar(value: string | number | boolean): string {
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "number") return String(value);
  if (DATE_LIKE.test(value)) return when(value);
  return /^[A-Z][A-Z0-9_]+$/.test(value) ? enumWords(value) : value;
}

/** One value as text, a withheld badge in place of a withheld one. */
function show(value: Value, path: string, withheld: ReadonlySet<string>): ReactNode {
  if (value === null || value === undefined) {
    return withheld.has(path) ? <WithheldMark /> : "not recorded";
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return "none";
    return (
      <ul>
        {value.map((item, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the answer's order is the record's order
          <li key={index}>{show(item, `${path}.${index}`, withheld)}</li>
        ))}
      </ul>
    );
  }
  if (typeof value === "object") {
    const entries = Object.entries(value).filter(
      ([name]) => name !== "__typename" && name !== "id",
    );
    return entries.map(([name, inner], index) => (
      <span key={name}>
        {index > 0 ? "; " : ""}
        {fieldWords(name)}: {show(inner, `${path}.${name}`, withheld)}
      </span>
    ));
  }
  return scalar(value);
}

/**
 * One agency's part of a person: whether it knows them, what it shares, each withheld field with
 * its reason and owner, or that the agency did not answer (missing, which is not withheld).
 */
export function AgencyCard({
  agency,
  path,
  part,
  notes,
  missing,
  onRetry,
}: {
  agency: string;
  /** Where the part is in the answer: `subject.health`. */
  path: string;
  part: Record<string, Value> | null | undefined;
  notes: readonly WithheldField[];
  missing: readonly UnavailableAgency[];
  onRetry: () => void;
}) {
  const mine = notesUnder(notes, path);
  const absent = unavailableUnder(missing, path);
  const withheld = new Set(mine.map((note) => note.path));
  const name = agencyName(agency);
  let status: string;
  if (absent.length > 0) status = "Missing: not answering";
  else if (!part) status = withheld.has(path) ? "Withheld" : "Nothing returned";
  else status = part.known ? `Known to ${name}` : `Not known to ${name}`;
  return (
    <section className="ws-card" aria-labelledby={`ws-card-${agency}`} data-agency={agency}>
      <h3 id={`ws-card-${agency}`}>{name}</h3>
      <p className="ws-card-status">{status}</p>
      <Unavailable agencies={absent} onRetry={onRetry} />
      {part?.known ? (
        <dl>
          {Object.entries(part)
            .filter(([field]) => field !== "known" && field !== "__typename")
            .map(([field, value]) => (
              <div key={field} className="ws-dl-row">
                <dt>{fieldWords(field)}</dt>
                <dd>{show(value, `${path}.${field}`, withheld)}</dd>
              </div>
            ))}
        </dl>
      ) : null}
      <WithheldList notes={mine} label={`What ${name} withholds, and whom to ask`} />
    </section>
  );
}
