import {
  GraphQLEnumType,
  type GraphQLNamedType,
  GraphQLScalarType,
  type GraphQLSchema,
  getNamedType,
  isInterfaceType,
  isLeafType,
  isObjectType,
} from "graphql";
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

/** Operators CASL's default matcher reads correctly. Compound ones ($or, $and) it would read as field names. */
const OPERATORS = new Set(["$eq", "$ne", "$in", "$nin", "$gt", "$gte", "$lt", "$lte", "$exists"]);
const COMPOUND = new Set([
  "$or",
  "$and",
  "$nor",
  "$not",
  "$where",
  "$elemMatch",
  "$all",
  "$size",
  "$regex",
]);

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
 * The object types of the API that implement an interface; an interface none implements (served
 * only by `@interfaceObject` subgraphs) is judged as itself, like an object type.
 */
const implementations = (ctx: Context, name: string): string[] => {
  const type = ctx.schema.getType(name);
  if (!isInterfaceType(type)) return [];
  const members = ctx.schema
    .getPossibleTypes(type)
    .map((t) => t.name)
    .filter((t) => ctx.ownership.fieldsOf.has(t));
  return members.length > 0 ? members : [name];
};

function valueFits(type: GraphQLNamedType, value: unknown): boolean {
  if (value === null) return true;
  if (type instanceof GraphQLEnumType)
    return typeof value === "string" && type.getValue(value) !== undefined;
  if (type instanceof GraphQLScalarType) {
    if (type.name === "Boolean") return typeof value === "boolean";
    if (type.name === "Int" || type.name === "Float") return typeof value === "number";
    return typeof value === "string";
  }
  return false;
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
        const concrete = isObjectType(type) ? [typeName] : implementations(ctx, typeName);
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

      const readFields: string[] = [];
      if (rule.conditions) {
        const typeNames = Object.keys(rule.fields);
        const named =
          typeNames.length === 1 ? ctx.schema.getType(typeNames[0] as string) : undefined;
        const onlyType = isObjectType(named) || isInterfaceType(named) ? named : undefined;
        if (!onlyType) {
          fail(
            ["conditions"],
            "conditions apply to one type's objects: name exactly one type under fields",
          );
        } else {
          const judged = isObjectType(onlyType)
            ? [onlyType.name]
            : implementations(ctx, onlyType.name);
          for (const [field, test] of Object.entries(rule.conditions)) {
            if (field.startsWith("$")) {
              fail(
                ["conditions", field],
                COMPOUND.has(field)
                  ? `compound condition "${field}" is not supported: CASL's default matcher reads it as a field name and the rule would never fire; write one rule per case`
                  : `unknown operator "${field}"`,
              );
              continue;
            }
            const def = onlyType.getFields()[field];
            if (!def) {
              fail(["conditions", field], `${onlyType.name} has no field "${field}" to test`);
              continue;
            }
            const fieldType = getNamedType(def.type);
            if (!isLeafType(fieldType)) {
              fail(
                ["conditions", field],
                `${onlyType.name}.${field} is an object; conditions test scalar and enum fields`,
              );
              continue;
            }
            const tests =
              test !== null && typeof test === "object"
                ? Object.entries(test as Record<string, unknown>)
                : [["$eq", test] as const];
            for (const [op, value] of tests) {
              if (!OPERATORS.has(op)) {
                fail(
                  ["conditions", field],
                  `operator "${op}" is not supported (use ${[...OPERATORS].join(", ")})`,
                );
              } else if (op === "$exists") {
                if (typeof value !== "boolean")
                  fail(["conditions", field], "$exists takes true or false");
              } else if (op === "$in" || op === "$nin") {
                if (!Array.isArray(value) || !value.every((v) => valueFits(fieldType, v))) {
                  fail(["conditions", field], `${op} takes a list of ${fieldType.name} values`);
                }
              } else if (!valueFits(fieldType, value)) {
                fail(
                  ["conditions", field],
                  `${JSON.stringify(value)} is not a ${fieldType.name} value${
                    fieldType instanceof GraphQLEnumType
                      ? ` (${fieldType
                          .getValues()
                          .map((v) => v.name)
                          .join(", ")})`
                      : ""
                  }`,
                );
              }
            }
            readFields.push(field);
            for (const t of judged) {
              const set = conditionFields.get(t) ?? new Set<string>();
              set.add(field);
              conditionFields.set(t, set);
            }
          }
        }
      }

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
