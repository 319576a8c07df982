import type { UnavailableAgency, WithheldField } from "@mash/client-kit";
import type { ReactNode } from "react";
import { ProblemAlert } from "../shared/problem-alert.tsx";
import { WithheldList as SharedWithheldList } from "../shared/withheld-badge.tsx";
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

/**
 * The shared list, its items also classed ws-withheld: workspace.browser.test.ts selects them
 * so. Once it selects li.mash-withheld, pages import shared/withheld-badge.tsx directly.
 */
export function WithheldList(props: { notes: readonly WithheldField[]; label: string }) {
  return <SharedWithheldList {...props} itemClassName="ws-withheld" />;
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
      <ProblemAlert
        title={`Could not load ${what}`}
        problems={loaded.problems}
        requestId={loaded.requestId}
      />
    );
  }
  return <>{children(loaded)}</>;
}
