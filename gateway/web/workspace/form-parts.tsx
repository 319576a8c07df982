import type { ReactNode } from "react";
import type { Submission } from "./use-submit.ts";

/** A form with its heading, its submit button and where its outcome is announced. */
export function ActionForm({
  id,
  title,
  submitLabel,
  submission,
  doneMessage,
  onSubmit,
  children,
}: {
  id: string;
  title: string;
  submitLabel: string;
  submission: Submission;
  doneMessage: string;
  onSubmit: (form: FormData) => void;
  children: ReactNode;
}) {
  return (
    <form
      className="ws-form"
      aria-labelledby={`${id}-title`}
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit(new FormData(event.currentTarget));
      }}
    >
      <h3 id={`${id}-title`}>{title}</h3>
      {children}
      <button type="submit" disabled={submission.status === "sending"}>
        {submitLabel}
      </button>
      <div aria-live="polite" className="ws-outcome">
        {submission.status === "sending" ? <p>Sending…</p> : null}
        {submission.status === "done" ? <p className="ws-done">{doneMessage}</p> : null}
      </div>
      {submission.status === "refused" ? (
        <div role="alert" className="ws-error">
          <p>Not recorded:</p>
          <ul>
            {submission.messages.map((message) => (
              <li key={message}>{message}</li>
            ))}
          </ul>
          {submission.requestId ? (
            <p>
              Request id: <code>{submission.requestId}</code>
            </p>
          ) : null}
        </div>
      ) : null}
    </form>
  );
}

export function TextField({
  id,
  name,
  label,
  required = true,
  multiline = true,
  hint,
}: {
  id: string;
  name: string;
  label: string;
  required?: boolean;
  multiline?: boolean;
  hint?: string;
}) {
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className="ws-field">
      <label htmlFor={id}>
        {label}
        {required ? " (required)" : ""}
      </label>
      {hint ? (
        <p id={hintId} className="ws-note">
          {hint}
        </p>
      ) : null}
      {multiline ? (
        <textarea id={id} name={name} required={required} aria-describedby={hintId} rows={3} />
      ) : (
        <input id={id} name={name} required={required} aria-describedby={hintId} />
      )}
    </div>
  );
}

export function ChoiceField({
  id,
  name,
  label,
  choices,
}: {
  id: string;
  name: string;
  label: string;
  choices: readonly (readonly [value: string, words: string])[];
}) {
  return (
    <div className="ws-field">
      <label htmlFor={id}>{label} (required)</label>
      <select id={id} name={name} required defaultValue="">
        <option value="" disabled>
          Choose…
        </option>
        {choices.map(([value, words]) => (
          <option key={value} value={value}>
            {words}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A form field's text; "" when absent. */
export const field = (form: FormData, name: string): string => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};
