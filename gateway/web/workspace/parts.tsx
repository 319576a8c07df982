import type { UnavailableAgency, WithheldField } from "@mash/client-kit";
import type { ReactNode } from "react";
import { agencyName } from "./names.ts";
import type { Loaded } from "./use-operation.ts";

/** The rating as a word; the colour only repeats it. */
export function RagBadge({ rag }: { rag: string | null | undefined }) {
  const word = rag ?? "NOT RATED";
  return <span className={`ws-rag ws-rag-${word.toLowerCase().replace(" ", "-")}`}>{word}</span>;
}

/** Time-left words; overdue ones also marked by weight and a word, never by colour alone. */
export function TimeLeft({ words }: { words: string }) {
  const overdue = words.startsWith("overdue");
  return <span className={overdue ? "ws-overdue" : "ws-due"}>{words}</span>;
}

const readablePath = (path: string) =>
  path
    .split(".")
    .slice(1)
    .filter((segment) => !/^\d+$/.test(segment))
    .join(" › ");

/** One withheld field: what, by whom, why, and whom to ask. */
export function WithheldBadge({ note }: { note: WithheldField }) {
  const contact = note.contact;
  return (
    <li className="ws-withheld">
      <span className="ws-badge">Withheld</span> <code>{readablePath(note.path)}</code>
      {note.owner ? ` by ${agencyName(note.owner)}` : ""}: {note.reason}
      {contact ? (
        <span className="ws-contact">
          {" "}
          Ask {contact.name} ({agencyName(contact.agency)})
          {contact.phone ? `, phone ${contact.phone}` : ""}
          {contact.email ? `, email ${contact.email}` : ""}.
        </span>
      ) : null}
    </li>
  );
}

export function WithheldList({ notes, label }: { notes: readonly WithheldField[]; label: string }) {
  if (notes.length === 0) return null;
  return (
    <div className="ws-withheld-list">
      <p className="ws-subhead">{label}</p>
      <ul>
        {notes.map((note) => (
          <WithheldBadge key={note.path} note={note} />
        ))}
      </ul>
    </div>
  );
}

/** An agency that did not answer: missing, which is not the same as withheld. */
export function Unavailable({
  agencies,
  onRetry,
}: {
  agencies: readonly UnavailableAgency[];
  onRetry: () => void;
}) {
  if (agencies.length === 0) return null;
  return (
    <div className="ws-unavailable" role="alert">
      {agencies.map((agency) => (
        <p key={`${agency.agency}:${agency.path ?? ""}`}>
          <span className="ws-badge">Missing</span> {agencyName(agency.agency)} is not answering:
          this part is missing, not withheld.
        </p>
      ))}
      <button type="button" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}

/** Loading and refusal states of a page's query; the page itself once it is ready. */
export function LoadState<T>({
  loaded,
  what,
  children,
}: {
  loaded: Loaded<T>;
  what: string;
  children: (ready: Extract<Loaded<T>, { status: "ready" }>) => ReactNode;
}) {
  if (loaded.status === "loading") return <p role="status">Loading {what}…</p>;
  if (loaded.status === "failed") {
    return (
      <div role="alert" className="ws-error">
        <p>
          Could not load {what}: {loaded.message}
        </p>
        {loaded.requestId ? (
          <p>
            Request id: <code>{loaded.requestId}</code>
          </p>
        ) : null}
      </div>
    );
  }
  return <>{children(loaded)}</>;
}
