import { breakGlassHeader, MIN_BREAK_GLASS_REASON } from "@mash/client-kit";
import { useId, useState } from "react";

/**
 * Breaking glass is one deliberate act for one person: a button, a written reason, one request.
 * The reason is forgotten once sent; nothing here lingers as a setting for the next request.
 */
export function BreakGlass({ who, onBreak }: { who: string; onBreak: (reason: string) => void }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const id = useId();
  if (!open) {
    return (
      <button type="button" className="ws-break-glass" onClick={() => setOpen(true)}>
        Break glass for {who}…
      </button>
    );
  }
  // The kit sends the reason as this makes it (a textarea's line breaks, curly quotes), so the
  // count and the check are of what will be sent.
  const header = breakGlassHeader(reason);
  const length = header.send ? header.value.length : reason.trim().length;
  return (
    <form
      className="ws-form ws-break-glass-form"
      aria-labelledby={`${id}-title`}
      onSubmit={(event) => {
        event.preventDefault();
        if (!header.send) return;
        onBreak(header.value);
        setReason("");
        setOpen(false);
      }}
    >
      <h3 id={`${id}-title`}>Break glass for {who}</h3>
      <p>
        One request, with your reason, shows what break glass releases to your role. It is recorded
        and the owning agencies are notified.
      </p>
      <div className="ws-field">
        <label htmlFor={`${id}-reason`}>
          Reason (required, at least {MIN_BREAK_GLASS_REASON} characters)
        </label>
        <textarea
          id={`${id}-reason`}
          required
          minLength={MIN_BREAK_GLASS_REASON}
          rows={3}
          value={reason}
          aria-describedby={`${id}-count`}
          onChange={(event) => setReason(event.currentTarget.value)}
        />
        <p id={`${id}-count`} className="ws-note">
          {header.send === false && header.problem
            ? header.problem
            : `${length} of at least ${MIN_BREAK_GLASS_REASON} characters`}
        </p>
      </div>
      <button type="submit" disabled={!header.send}>
        View once with break glass
      </button>{" "}
      <button
        type="button"
        onClick={() => {
          setReason("");
          setOpen(false);
        }}
      >
        Cancel
      </button>
    </form>
  );
}
