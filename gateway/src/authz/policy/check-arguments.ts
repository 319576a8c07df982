import {
  type GraphQLOutputType,
  type GraphQLSchema,
  getNamedType,
  isLeafType,
  isObjectType,
} from "graphql";
import type { RawPolicyFile } from "./check-rules.ts";
import type { FieldOwnership } from "./ownership.ts";
import type { YamlFile } from "./read-yaml.ts";
import type {
  PolicyProblem,
  PolicyRule,
  PolicySet,
  RuleTarget,
  SearchArgument,
  SearchField,
} from "./types.ts";

interface Context {
  files: YamlFile[];
  schema: GraphQLSchema;
  ownership: FieldOwnership;
  owners: Map<string, string>;
  scope: PolicySet["scope"];
  rules: PolicyRule[];
  problems: PolicyProblem[];
}

/** What reads nothing of a person: paging and the like. */
const NONE = "none";

/**
 * The `arguments:` sections: each search argument names the fields of the person it reads. A
 * search is then judged as a read of those fields, person by person, from the requester's
 * abilities for the one thing the engine knows of each person before reading them: whether the
 * stated enquiry links them, and their flag (roles.yaml scope.flag). So every argument must be
 * declared (a new one is governed the day it is added), and no rule on a field a search reads
 * may be conditioned on anything but that flag: the search could not honour it.
 */
export function checkArguments(ctx: Context): Map<string, SearchField> {
  const searches = new Map<string, SearchField>();
  for (const file of ctx.files) {
    const raw = file.value as RawPolicyFile;
    for (const [coordinate, declared] of Object.entries(raw.arguments ?? {})) {
      const at = (...path: string[]) => file.keyLineOf(["arguments", coordinate, ...path]);
      const fail = (message: string, ...path: string[]) =>
        ctx.problems.push({ file: file.file, line: at(...path), message });
      const search = searchField(ctx, coordinate, raw.agency, declared, fail);
      if (search) searches.set(coordinate, { ...search, file: file.file, line: at() ?? 0 });
    }
  }
  for (const rule of ctx.rules) {
    if (!rule.conditions) continue;
    for (const target of rule.targets) {
      for (const field of target.fields) {
        const reader = readerOf(searches, target.type, field);
        if (!reader) continue;
        const flag = ctx.scope?.flag;
        const onFlagOnly =
          target.type === ctx.scope?.type &&
          flag !== undefined &&
          rule.conditionFields.every((f) => f === flag);
        if (onFlagOnly) continue;
        ctx.problems.push({
          file: rule.file,
          line: rule.line,
          rule: rule.id,
          message: `its conditions read ${rule.conditionFields.join(", ")} of ${target.type}, but ${target.type}.${field} is read by the search argument ${reader.search.coordinate}(${reader.argument}) (${reader.search.file}:${reader.search.line}), which is judged per person on ${flag ? `${ctx.scope?.type}.${flag}` : "nothing"} alone: condition the rule on ${flag ?? "the scope flag"} only, or declare the argument to read another field`,
        });
      }
    }
  }
  return searches;
}

function readerOf(searches: Map<string, SearchField>, type: string, field: string) {
  for (const search of searches.values())
    for (const argument of search.arguments)
      if (argument.reads.some((r) => r.type === type && r.fields.includes(field)))
        return { search, argument: argument.name };
  return undefined;
}

function searchField(
  ctx: Context,
  coordinate: string,
  agency: string,
  declared: Record<string, string>,
  fail: (message: string, ...path: string[]) => void,
): Omit<SearchField, "file" | "line"> | undefined {
  const [typeName, fieldName] = coordinate.split(".") as [string, string];
  const type = ctx.schema.getType(typeName);
  const def = isObjectType(type) ? type.getFields()[fieldName] : undefined;
  if (!def || !ctx.ownership.fieldsOf.get(typeName)?.includes(fieldName)) {
    fail(`${coordinate} is not a field of the supergraph`);
    return undefined;
  }
  const owner = ctx.owners.get(coordinate);
  if (owner !== agency) {
    fail(
      `${coordinate} belongs to ${owner} (policies/${owner}.yaml): an agency's file may declare only the arguments of its own fields`,
    );
    return undefined;
  }
  const scope = ctx.scope;
  if (!scope) {
    fail(`${coordinate} searches people, but roles.yaml names no scope type for a person`);
    return undefined;
  }
  if (!returnsPeople(def.type, scope.type)) {
    fail(`${coordinate} does not return ${scope.type}: its arguments read no person's fields`);
    return undefined;
  }
  const args: SearchArgument[] = [];
  for (const [name, reads] of Object.entries(declared)) {
    if (!def.args.some((a) => a.name === name)) {
      fail(`${coordinate} has no argument "${name}"`, name);
      continue;
    }
    if (reads === NONE) {
      args.push({ name, reads: [] });
      continue;
    }
    const walked = walk(ctx, reads, scope.type, (message) => fail(message, name));
    if (walked) args.push({ name, reads: walked });
  }
  for (const a of def.args) {
    if (!(a.name in declared))
      fail(
        `argument "${a.name}" of ${coordinate} is not declared: name the field of ${scope.type} it reads ("${scope.type}.field"), or ${NONE} if it reads nothing of a person`,
      );
  }
  return { coordinate, agency, arguments: args };
}

/** The field's named type is the person, or an object with a field that is (a search hit). */
function returnsPeople(type: GraphQLOutputType, person: string): boolean {
  const named = getNamedType(type);
  if (named.name === person) return true;
  return (
    isObjectType(named) &&
    Object.values(named.getFields()).some((f) => getNamedType(f.type).name === person)
  );
}

/**
 * "Subject.address.postcode" as the fields it reads, step by step from the person; a path that
 * ends on an object reads all of it (every field below, so each is judged).
 */
function walk(
  ctx: Context,
  path: string,
  person: string,
  fail: (message: string) => void,
): RuleTarget[] | undefined {
  const [start, ...steps] = path.split(".");
  if (start !== person) {
    fail(`${path} is not a field of ${person}: a search argument reads the person it finds`);
    return undefined;
  }
  const reads = new Map<string, Set<string>>();
  const add = (type: string, field: string) => {
    const set = reads.get(type) ?? new Set<string>();
    set.add(field);
    reads.set(type, set);
  };
  let current = person;
  for (const [index, step] of steps.entries()) {
    const type = ctx.schema.getType(current);
    const field = isObjectType(type) ? type.getFields()[step] : undefined;
    if (!field || !ctx.ownership.fieldsOf.get(current)?.includes(step)) {
      fail(`${current} has no field "${step}" (in ${path})`);
      return undefined;
    }
    add(current, step);
    const next = getNamedType(field.type);
    const last = index === steps.length - 1;
    if (!last && !isObjectType(next)) {
      fail(`${current}.${step} is not an object, so ${path} cannot go through it`);
      return undefined;
    }
    current = next.name;
  }
  const end = ctx.schema.getType(current);
  if (isObjectType(end)) {
    // A whole object is read: each of its fields is a read (name is given and family).
    const seen = new Set<string>();
    const all = (name: string) => {
      if (seen.has(name)) return;
      seen.add(name);
      const type = ctx.schema.getType(name);
      if (!isObjectType(type)) return;
      for (const f of ctx.ownership.fieldsOf.get(name) ?? []) {
        const def = type.getFields()[f];
        if (!def) continue;
        add(name, f);
        all(getNamedType(def.type).name);
      }
    };
    all(current);
  } else if (!isLeafType(end)) {
    fail(`${path} ends on ${current}, an interface or union: name the field it reads`);
    return undefined;
  }
  return [...reads].map(([type, fields]) => ({ type, fields: [...fields] }));
}
