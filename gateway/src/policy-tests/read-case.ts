import type { YamlFile } from "../authz/policy/read-yaml.ts";
import type { PolicySet } from "../authz/policy/types.ts";
import type { Purpose } from "../governance/matrix.ts";
import type { RecordSchema } from "../governance/record-attributes.ts";
import { agencyTypes, questionProblems, type RecordQuestion } from "../governance/simulate.ts";
import type { CaseProblem, PolicyCase } from "./case-types.ts";

/** One case as the case file's JSON Schema admits it. */
export interface RawCase {
  name: string;
  role?: string;
  roles?: string[];
  purpose: Purpose;
  type: string;
  attributes?: Record<string, unknown>;
  visible?: string[];
  withheld?: string[];
  listed?: boolean;
}

/**
 * Checks case `i` of an agency's file against the policy and the record schema: none (and its
 * problems added) when it is wrong, else the case with the line of each thing it expects.
 */
export function readCase(
  yaml: YamlFile,
  agency: string,
  raw: RawCase,
  i: number,
  options: { file: string; policy: PolicySet; schema: RecordSchema },
  problems: CaseProblem[],
): PolicyCase[] {
  const { file, policy, schema } = options;
  const at = (...path: (string | number)[]) => yaml.lineOf(["cases", i, ...path]);
  const before = problems.length;
  const fail = (message: string, line: number | undefined) =>
    problems.push({ file, line, case: raw.name, message });
  const question: RecordQuestion = {
    roles: raw.roles ?? (raw.role ? [raw.role] : []),
    purpose: raw.purpose,
    type: raw.type,
    attributes: raw.attributes ?? {},
  };
  for (const problem of questionProblems(policy, schema, agency, question)) {
    const [part, field] = problem.at;
    const key = raw.roles ? "roles" : "role";
    fail(
      problem.message,
      part === "roles" ? at(key) : field ? at("attributes", field) : at(part ?? ""),
    );
  }
  if (problems.length > before) return [];
  const own = new Set(agencyTypes(policy, agency).get(raw.type) ?? []);
  const expect: PolicyCase["expect"] = [];
  const stated = new Map<string, number | undefined>();
  for (const key of ["visible", "withheld"] as const) {
    (raw[key] ?? []).forEach((field, j) => {
      const line = at(key, j);
      if (!own.has(field))
        fail(
          `${raw.type}.${field} is not one of ${agency}'s fields (${[...own].join(", ")})`,
          line,
        );
      else if (stated.has(field))
        fail(`${field} is expected twice (also on line ${stated.get(field)})`, line);
      else {
        stated.set(field, line);
        expect.push({ field, visible: key === "visible", line: line ?? 0 });
      }
    });
  }
  if (!raw.visible?.length && !raw.withheld?.length && raw.listed === undefined)
    fail("expects nothing: list visible or withheld fields, or listed", at());
  if (problems.length > before) return [];
  return [
    {
      name: raw.name,
      agency,
      file,
      line: at() ?? 0,
      question,
      expect,
      ...(raw.listed !== undefined
        ? { listed: { value: raw.listed, line: at("listed") ?? 0 } }
        : {}),
    },
  ];
}
