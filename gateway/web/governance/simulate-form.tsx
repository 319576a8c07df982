import { type FormEvent, useState } from "react";
import { ProblemAlert } from "../shared/problem-alert.tsx";
import { StatusMessage } from "./feedback.tsx";
import { count, words } from "./format.ts";
import { ProblemList } from "./policy-text.tsx";
import { SIMULATE, SIMULATION_OPTIONS } from "./queries.ts";
import { AttributeInput, PurposeChoice } from "./simulate-fields.tsx";
import { SimulationTable, simulationSummary } from "./simulation-table.tsx";
import type {
  Simulation,
  SimulationExample,
  SimulationOptions,
  SimulationPurpose,
} from "./simulation-types.ts";
import { latest, useOperation, useQuery } from "./use-api.ts";
import { useSettled } from "./use-settled.ts";

/**
 * What a requester would see of a hypothetical record: the officer picks one of their agency's
 * types, a role and a purpose, and writes the values the type's rules read, or starts from one of
 * the agency's policy test cases. No person is named and no record is read.
 */
export function SimulateForm({
  roles,
  text,
  onGoTo,
}: {
  roles: readonly string[];
  text: string;
  onGoTo(line: number): void;
}) {
  const [useEdited, setUseEdited] = useState(true);
  const settled = useSettled(text);
  const options = useQuery<{ simulationOptions: SimulationOptions }>(
    SIMULATION_OPTIONS,
    useEdited ? { text: settled } : undefined,
  );
  const types = latest(options)?.simulationOptions.types ?? [];
  const testProblems = latest(options)?.simulationOptions.testProblems ?? [];
  const [typeName, setTypeName] = useState("");
  const [role, setRole] = useState("");
  const [purpose, setPurpose] = useState<SimulationPurpose>("OUTSIDE");
  const [example, setExample] = useState("");
  const [values, setValues] = useState<Record<string, string>>({});
  const simulate = useOperation<{ simulate: Simulation }>(SIMULATE);

  const type = types.find((t) => t.type === typeName) ?? types[0];
  const chosenRole = role || roles[0] || "";

  const pickType = (name: string) => {
    setTypeName(name);
    setExample("");
    setValues({});
  };
  const pickExample = (name: string) => {
    setExample(name);
    const chosen: SimulationExample | undefined = type?.examples.find((e) => e.name === name);
    if (!chosen) return;
    if (chosen.roles[0]) setRole(chosen.roles[0]);
    setPurpose(chosen.purpose);
    setValues(Object.fromEntries(chosen.attributes.map((a) => [a.field, a.value ?? ""])));
  };
  const setValue = (field: string, value: string) => {
    setExample("");
    setValues((current) => ({ ...current, [field]: value }));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!type) return;
    void simulate.run({
      input: {
        roles: [chosenRole],
        purpose,
        type: type.type,
        // An empty box is a field with no value: the record holds null there.
        attributes: type.attributes.map((a) => ({
          field: a.field,
          value: values[a.field]?.trim() ? (values[a.field] as string).trim() : null,
        })),
        ...(useEdited ? { text } : {}),
      },
    });
  };
  const { outcome } = simulate;
  const result = outcome.status === "done" ? outcome.data.simulate : undefined;

  return (
    <section className="gov-card" aria-labelledby="gov-simulate-heading">
      <h3 id="gov-simulate-heading">Simulate</h3>
      <p className="gov-hint" id="gov-sim-about">
        Describe a record and see what a role would be shown of it. The record is yours to make up:
        no person is named, no agency is asked and nothing is read but the rules.
      </p>
      <ProblemAlert
        title="Simulation options are not available"
        problems={options.status === "error" ? options.problems : undefined}
      />
      <ProblemAlert
        title="Your agency's policy tests have problems; no example is offered until they are fixed"
        problems={
          testProblems.length
            ? [{ message: "policies:test reports these:", details: testProblems }]
            : undefined
        }
      />
      <form className="gov-form" onSubmit={submit} aria-describedby="gov-sim-about">
        <div className="gov-form gov-form-row">
          <div className="gov-field">
            <label htmlFor="gov-sim-type">Record type</label>
            <select
              id="gov-sim-type"
              value={type?.type ?? ""}
              onChange={(e) => pickType(e.target.value)}
            >
              {types.map((t) => (
                <option key={t.type} value={t.type}>
                  {t.type}
                </option>
              ))}
            </select>
          </div>
          <div className="gov-field">
            <label htmlFor="gov-sim-role">Role</label>
            <select id="gov-sim-role" value={chosenRole} onChange={(e) => setRole(e.target.value)}>
              {roles.map((r) => (
                <option key={r} value={r}>
                  {words(r)}
                </option>
              ))}
            </select>
          </div>
          <div className="gov-field gov-field-wide">
            <label htmlFor="gov-sim-example">Start from an example</label>
            <select
              id="gov-sim-example"
              value={example}
              aria-describedby="gov-sim-example-hint"
              onChange={(e) => pickExample(e.target.value)}
            >
              <option value="">My own values</option>
              {(type?.examples ?? []).map((e) => (
                <option key={e.name} value={e.name}>
                  {e.name}
                </option>
              ))}
            </select>
            <span id="gov-sim-example-hint" className="gov-hint">
              {count(type?.examples.length ?? 0, "synthetic example")} from your agency's policy
              tests
            </span>
          </div>
        </div>
        <PurposeChoice purpose={purpose} onChange={setPurpose} />
        <fieldset className="gov-form gov-form-row">
          <legend className="gov-label">The record's values</legend>
          {type && type.attributes.length > 0 ? (
            type.attributes.map((kind) => (
              <AttributeInput
                key={kind.field}
                kind={kind}
                value={values[kind.field] ?? ""}
                onChange={(v) => setValue(kind.field, v)}
              />
            ))
          ) : (
            <p className="gov-hint">
              No rule reads a value of {type?.type ?? "this type"}: every record of it is judged
              alike.
            </p>
          )}
        </fieldset>
        <div className="gov-form gov-form-row">
          <div className="gov-check">
            <input
              id="gov-sim-edited"
              type="checkbox"
              checked={useEdited}
              onChange={(e) => setUseEdited(e.target.checked)}
            />
            <label htmlFor="gov-sim-edited">Use the edited text (else the policy in force)</label>
          </div>
          <button type="submit" className="gov-button" disabled={!type || !chosenRole}>
            Simulate
          </button>
        </div>
      </form>
      <StatusMessage
        testId="simulation-status"
        text={
          outcome.status === "running" ? "Simulating…" : result ? simulationSummary(result) : ""
        }
      />
      <ProblemAlert
        title="Simulation failed"
        problems={outcome.status === "error" ? outcome.problems : undefined}
      />
      {result ? (
        <>
          <ProblemList id="gov-sim-problems" problems={result.problems} onGoTo={onGoTo} />
          <SimulationTable simulation={result} />
        </>
      ) : null}
    </section>
  );
}
