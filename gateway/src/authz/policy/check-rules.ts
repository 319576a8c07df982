import { type GraphQLSchema, isInterfaceType, isObjectType } from "graphql";
import { checkConditions } from "./check-conditions.ts";
import { implementationsOf } from "./implementations.ts";
import type { FieldOwnership } from "./ownership.ts";
import type { YamlFile } from "./read-yaml.ts";
import type {
  AgencyDef,
  Conditions,
  PolicyProblem,
  PolicyRule,
  RoleDef,
  RuleTarget,
} from "./types.ts";

export interface RawRule {
  id: string;
  description: string;
  effect?: "allow" | "deny";
  roles: string[];
  fields: Record<string, "*" | string[]>;
  requires?: { enquiry?: boolean; breakGlass?: boolean };
  conditions?: Conditions;
  reason?: string;
  legalBasis: string;
}

export interface RawPolicyFile {
  agency: string;
  rules?: RawRule[];
  /** A search field ("Query.searchSubjects") to what each argument reads ("Subject.nhsNumber"). */
  arguments?: Record<string, Record<string, string>>;
}

interface Context {
  files: YamlFile[];
  schema: GraphQLSchema;
  ownership: FieldOwnership;
  owners: Map<string, string>;
  agencies: Map<string, AgencyDef>;
  roles: Map<string, RoleDef>;
  groups: Map<string, string[]>;
  problems: PolicyProblem[];
}

/**
 * The checks that need the supergraph: types, fields, roles, the information firewall and the
 * shape of conditions. Every problem names its file, line and rule.
 */
export function checkRules(ctx: Context): {
  rules: PolicyRule[];
  conditionFields: Map<string, Set<string>>;
} {
  const rules: PolicyRule[] = [];
  const conditionFields = new Map<string, Set<string>>();
  const ids = new Map<string, string>();
  const fileOfAgency = new Map<string, string>();

  for (const file of ctx.files) {
    const raw = file.value as RawPolicyFile;
    const problem = (path: (string | number)[], message: string, rule?: string) =>
      ctx.problems.push({ file: file.file, line: file.lineOf(path), rule, message });
    const agency = ctx.agencies.get(raw.agency);
    if (!agency) {
      problem(["agency"], `agency "${raw.agency}" is not in roles.yaml`);
      continue;
    }
    if (file.file !== `${raw.agency}.yaml` && file.file !== `${raw.agency}.yml`) {
      problem(["agency"], `the rules of "${raw.agency}" belong in ${raw.agency}.yaml`);
    }
    const other = fileOfAgency.get(raw.agency);
    if (other)
      problem(
        ["agency"],
        `${other} already holds the rules of "${raw.agency}"; one file per agency`,
      );
    fileOfAgency.set(raw.agency, file.file);

    (raw.rules ?? []).forEach((rule, index) => {
      const at = (...path: (string | number)[]) => ["rules", index, ...path];
      const fail = (path: (string | number)[], message: string) =>
        problem(at(...path), message, rule.id);
      const seen = ids.get(rule.id);
      if (seen) fail(["id"], `the id is already used in ${seen}`);
      ids.set(rule.id, file.file);

      const roles = new Set<string>();
      for (const name of rule.roles) {
        const group = ctx.groups.get(name);
        if (group) for (const r of group) roles.add(r);
        else if (ctx.roles.has(name)) roles.add(name);
        else fail(["roles"], `unknown role or group "${name}"`);
      }
      if (rule.requires?.breakGlass && ![...roles].some((r) => ctx.roles.get(r)?.breakGlass)) {
        fail(
          ["requires", "breakGlass"],
          "requires breakGlass, but none of its roles may break the glass (roles.yaml)",
        );
      }

      const targets: RuleTarget[] = [];
      for (const [typeName, listed] of Object.entries(rule.fields)) {
        const type = ctx.schema.getType(typeName);
        const known = ctx.ownership.fieldsOf.get(typeName);
        if (!(isObjectType(type) || isInterfaceType(type)) || !known) {
          fail(
            ["fields", typeName],
            `type "${typeName}" is not an object or interface type of the supergraph`,
          );
          continue;
        }
        // A rule on an interface is a rule on each implementation, for the fields this agency
        // owns there: the filter judges every object as the concrete type it is.
        const concrete = isObjectType(type)
          ? [typeName]
          : implementationsOf(ctx.schema, ctx.ownership, typeName);
        const ownsOn = (f: string) =>
          concrete.filter((t) => ctx.owners.get(`${t}.${f}`) === raw.agency);
        const owned = known.filter((f) => ownsOn(f).length > 0);
        const fields = listed === "*" ? owned : listed;
        if (listed === "*" && owned.length === 0) {
          fail(
            ["fields", typeName],
            `"${typeName}: *" covers nothing: none of its fields belongs to ${raw.agency}`,
          );
        }
        for (const f of fields) {
          if (!known.includes(f)) {
            fail(["fields", typeName], `${typeName} has no field "${f}"`);
          } else if (ownsOn(f).length === 0) {
            const owner = concrete.map((t) => ctx.owners.get(`${t}.${f}`)).find(Boolean);
            fail(
              ["fields", typeName],
              `${typeName}.${f} belongs to ${owner ?? ctx.owners.get(`${typeName}.${f}`)} (policies/${owner}.yaml): an agency's file may govern only its own data`,
            );
          }
        }
        for (const t of concrete) {
          const mine = [...new Set(fields)].filter((f) => ownsOn(f).includes(t));
          if (mine.length > 0) targets.push({ type: t, fields: mine });
        }
      }

      const readFields = rule.conditions
        ? checkConditions({
            conditions: rule.conditions,
            fields: rule.fields,
            schema: ctx.schema,
            ownership: ctx.ownership,
            conditionFields,
            fail,
          })
        : [];

      rules.push({
        id: rule.id,
        description: rule.description,
        agency: raw.agency,
        file: file.file,
        line: file.lineOf(at()) ?? 0,
        effect: rule.effect ?? "allow",
        roles: [...roles],
        targets,
        requires: {
          enquiry: rule.requires?.enquiry === true,
          breakGlass: rule.requires?.breakGlass === true,
        },
        conditions: rule.conditions,
        conditionFields: readFields,
        reason: rule.reason,
        legalBasis: rule.legalBasis,
      });
    });
  }
  return { rules, conditionFields };
}
