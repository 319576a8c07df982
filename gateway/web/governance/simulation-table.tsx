import { count, words } from "./format.ts";
import type { Simulation } from "./simulation-types.ts";

/** One line for the live region: how much is visible, the purpose, and whether it is listed. */
export function simulationSummary(result: Simulation): string {
  if (result.problems.length > 0) return "";
  const visible = result.fields.filter((f) => f.visible).length;
  const purpose = result.inEnquiry ? "In an enquiry." : "Outside an enquiry.";
  const glass = result.breakGlass ? " Glass broken." : "";
  const listed = result.listed
    ? "Listed where it appears in a list."
    : `Left out of any list, as if it did not exist (${result.unlistedBy}).`;
  return `${visible} of ${count(result.fields.length, "field")} visible. ${purpose}${glass} ${listed}`;
}

/** Each of the agency's fields of the simulated record: its verdict, the rule and why. */
export function SimulationTable({ simulation }: { simulation: Simulation }) {
  if (simulation.fields.length === 0) return null;
  return (
    <table className="gov-table" data-testid="simulation">
      <caption>
        What {words(simulation.roles.join(", "))} would see of this {simulation.type} record
      </caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Verdict</th>
          <th scope="col">Deciding rule</th>
          <th scope="col">Why</th>
        </tr>
      </thead>
      <tbody>
        {simulation.fields.map((field) => (
          <tr key={field.field}>
            <th scope="row" className="gov-mono">
              {field.field}
            </th>
            <td>
              <span
                className={
                  field.visible ? "gov-access gov-access-allowed" : "gov-access gov-access-denied"
                }
              >
                {field.visible ? "Visible" : "Withheld"}
              </span>
            </td>
            <td className="gov-mono">
              {field.rule}
              {field.toldRule && field.toldRule !== field.rule
                ? ` (the requester is told ${field.toldRule})`
                : ""}
            </td>
            <td>{field.reason}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
