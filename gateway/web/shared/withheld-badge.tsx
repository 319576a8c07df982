import "./feedback.css";
import type { WithheldField } from "@mash/client-kit";
import { agencyName } from "./agency-name.ts";

/** `subject.mentalHealth.0.service` as "mentalHealth › service": the answer's root and indexes go. */
export const readablePath = (path: string) =>
  path
    .split(".")
    .slice(1)
    .filter((segment) => !/^\d+$/.test(segment))
    .join(" › ");

/** In place of a value the sharing rules withheld: the same word wherever it stands. */
export function WithheldMark() {
  return <span className="mash-badge mash-withheld-mark">Withheld</span>;
}

/**
 * One withheld field: what, by whom, why, and whom to ask. `className` adds the app's own
 * class to the item.
 */
export function WithheldBadge({ note, className }: { note: WithheldField; className?: string }) {
  const contact = note.contact;
  return (
    <li className={className ? `mash-withheld ${className}` : "mash-withheld"}>
      <span className="mash-badge">Withheld</span> <code>{readablePath(note.path)}</code>
      {note.owner ? ` by ${agencyName(note.owner)}` : ""}: {note.reason}
      {contact ? (
        <span className="mash-withheld-contact">
          {" "}
          Ask {contact.name} ({agencyName(contact.agency)})
          {contact.phone ? `, phone ${contact.phone}` : ""}
          {contact.email ? `, email ${contact.email}` : ""}.
        </span>
      ) : null}
    </li>
  );
}

/** Every withheld field of a part under one heading; nothing when none is withheld. */
export function WithheldList({
  notes,
  label,
  itemClassName,
}: {
  notes: readonly WithheldField[];
  label: string;
  itemClassName?: string;
}) {
  if (notes.length === 0) return null;
  return (
    <div className="mash-withheld-list">
      <p className="mash-withheld-label">{label}</p>
      <ul>
        {notes.map((note) => (
          <WithheldBadge key={note.path} note={note} className={itemClassName} />
        ))}
      </ul>
    </div>
  );
}
