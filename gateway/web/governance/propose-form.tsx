import { type FormEvent, useState } from "react";

/**
 * The reason for a change is what the approving officer and, later, an auditor read: it is
 * required, and the form says so before the API would.
 */
export function ProposeForm({
  disabled,
  disabledReason,
  busy,
  onPropose,
}: {
  disabled: boolean;
  disabledReason: string | undefined;
  busy: boolean;
  onPropose(reason: string): Promise<boolean>;
}) {
  const [reason, setReason] = useState("");
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) return;
    if (await onPropose(reason.trim())) setReason("");
  };
  return (
    <form className="gov-form" onSubmit={submit} aria-labelledby="gov-propose-heading">
      <h3 id="gov-propose-heading">Propose for approval</h3>
      <div className="gov-field gov-field-wide">
        <label htmlFor="gov-propose-reason">Reason for the change (required)</label>
        <textarea
          id="gov-propose-reason"
          rows={3}
          required
          value={reason}
          aria-describedby="gov-propose-hint"
          onChange={(event) => setReason(event.target.value)}
        />
        <span id="gov-propose-hint" className="gov-hint">
          {disabledReason ??
            "Saves the text as a draft if it has changed, then proposes it. Another officer of your agency must approve it; until then it runs in shadow mode."}
        </span>
      </div>
      <button
        type="submit"
        className="gov-button gov-primary"
        disabled={disabled || busy || !reason.trim()}
      >
        {busy ? "Proposing…" : "Propose"}
      </button>
    </form>
  );
}
