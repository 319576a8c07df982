import { PURPOSE_LABEL } from "./format.ts";
import type { SimulationAttributeKind, SimulationPurpose } from "./simulation-types.ts";

const PURPOSES: readonly { value: SimulationPurpose; label: string; hint: string }[] = [
  { value: "OUTSIDE", label: PURPOSE_LABEL.outside ?? "Outside an enquiry", hint: "no enquiry" },
  {
    value: "IN_ENQUIRY",
    label: PURPOSE_LABEL.inEnquiry ?? "In an enquiry",
    hint: "the person is linked to an open enquiry the requester's agency takes part in",
  },
  {
    value: "BREAK_GLASS",
    label: PURPOSE_LABEL.breakGlass ?? "Break glass",
    hint: "the same, with the glass broken (only roles allowed to break it)",
  },
];

/** One value of the record: a choice for an enum or Boolean, else free text. */
export function AttributeInput({
  kind,
  value,
  onChange,
}: {
  kind: SimulationAttributeKind;
  value: string;
  onChange(value: string): void;
}) {
  const id = `gov-sim-attr-${kind.field}`;
  const hint = `${id}-hint`;
  return (
    <div className="gov-field">
      <label htmlFor={id}>{kind.field}</label>
      {kind.values.length > 0 && !kind.list ? (
        <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">(no value)</option>
          {kind.values.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
      ) : (
        <input
          id={id}
          value={value}
          aria-describedby={hint}
          placeholder={kind.list ? '["A", "B"]' : ""}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
      <span id={hint} className="gov-hint">
        {kind.list ? `a JSON list of ${kind.kind}` : kind.kind}
      </span>
    </div>
  );
}

/** The purpose the requester would have, one of three, each with what it means. */
export function PurposeChoice({
  purpose,
  onChange,
}: {
  purpose: SimulationPurpose;
  onChange(purpose: SimulationPurpose): void;
}) {
  return (
    <fieldset className="gov-form gov-form-row">
      <legend className="gov-label">Purpose</legend>
      {PURPOSES.map((p) => (
        <div className="gov-check" key={p.value}>
          <input
            type="radio"
            id={`gov-sim-purpose-${p.value}`}
            name="gov-sim-purpose"
            value={p.value}
            checked={purpose === p.value}
            aria-describedby={`gov-sim-purpose-${p.value}-hint`}
            onChange={() => onChange(p.value)}
          />
          <label htmlFor={`gov-sim-purpose-${p.value}`}>{p.label}</label>
          <span id={`gov-sim-purpose-${p.value}-hint`} className="gov-hint">
            ({p.hint})
          </span>
        </div>
      ))}
    </fieldset>
  );
}
