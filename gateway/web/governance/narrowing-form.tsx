import { type FormEvent, useState } from "react";
import { ProblemAlert } from "../shared/problem-alert.tsx";
import { PUBLISH_NARROWING } from "./queries.ts";
import type { PolicyVersion } from "./types.ts";
import { useGovernance, useOperation } from "./use-api.ts";

/**
 * The editor's way to take access away at once, after an incident: one officer publishes the
 * edited text if it only narrows (the API refuses anything that gives a role more, naming it),
 * and it stays flagged until another officer reviews it.
 */
export function NarrowingForm({
  text,
  disabled,
  onPublished,
}: {
  text: string;
  disabled: boolean;
  onPublished(version: PolicyVersion): void;
}) {
  const { officer, changed } = useGovernance();
  const narrow = useOperation<{ publishNarrowing: PolicyVersion }>(PUBLISH_NARROWING);
  const [reason, setReason] = useState("");
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) return;
    const done = await narrow.run({ text, reason: reason.trim() });
    if (!done) return;
    setReason("");
    onPublished(done.publishNarrowing);
    changed();
  };
  const busy = narrow.outcome.status === "running";
  return (
    <form className="gov-form" onSubmit={submit} aria-labelledby="gov-narrowing-heading">
      <h3 id="gov-narrowing-heading">Emergency narrowing</h3>
      <div className="gov-field gov-field-wide">
        <label htmlFor="gov-narrowing-reason">Why this cannot wait for a second officer</label>
        <textarea
          id="gov-narrowing-reason"
          rows={2}
          required
          value={reason}
          aria-describedby="gov-narrowing-hint"
          onChange={(event) => setReason(event.target.value)}
        />
        <span id="gov-narrowing-hint" className="gov-hint">
          Only a change that takes access away, and gives no role anything more, may be published by
          one officer. It is in force at once, and flagged until another officer of{" "}
          {officer.agencyTitle} reviews it. Anything else must be proposed.
        </span>
      </div>
      <button type="submit" className="gov-button" disabled={disabled || busy || !reason.trim()}>
        {busy ? "Publishing…" : "Publish now as an emergency narrowing"}
      </button>
      <ProblemAlert
        title="Could not publish the narrowing"
        problems={narrow.outcome.status === "error" ? narrow.outcome.problems : undefined}
      />
    </form>
  );
}
