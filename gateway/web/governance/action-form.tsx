import { type FormEvent, useState } from "react";

/** Told what was done, in words for the status line. */
export type Done = (message: string) => void;

/** A one-field form whose submit runs a mutation; `required` fields keep the button disabled. */
export function ActionForm({
  id,
  label,
  fieldLabel,
  required,
  button,
  busy,
  disabled,
  describedBy,
  onSubmit,
}: {
  id: string;
  label: string;
  fieldLabel: string;
  required: boolean;
  button: string;
  busy: boolean;
  disabled?: boolean;
  describedBy?: string;
  onSubmit(value: string): Promise<boolean>;
}) {
  const [value, setValue] = useState("");
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (required && !value.trim()) return;
    if (await onSubmit(value.trim())) setValue("");
  };
  return (
    <form className="gov-form gov-form-row" onSubmit={submit} aria-label={label}>
      <div className="gov-field gov-field-wide">
        <label htmlFor={id}>{fieldLabel}</label>
        <input
          id={id}
          value={value}
          required={required}
          disabled={disabled}
          onChange={(event) => setValue(event.target.value)}
        />
      </div>
      <button
        type="submit"
        className="gov-button"
        disabled={disabled || busy || (required && !value.trim())}
        aria-describedby={describedBy}
      >
        {button}
      </button>
    </form>
  );
}
