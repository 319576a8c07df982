import { isDeepStrictEqual } from "node:util";
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  getNamedType,
  isObjectType,
  Kind,
  type SelectionSetNode,
} from "graphql";

export type Path = (string | number)[];

export interface GraphQLAnswer {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: Path; extensions?: Record<string, unknown> }[];
}

/** The first place two values differ, as a path and both sides (shortened), or undefined. */
export function firstDifference(a: unknown, b: unknown, path: Path = []): string | undefined {
  if (isDeepStrictEqual(a, b)) return undefined;
  const bothObjects = a && b && typeof a === "object" && typeof b === "object";
  if (bothObjects && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      const at = Array.isArray(a) ? Number(key) : key;
      const found = firstDifference(
        (a as Record<string, unknown>)[key],
        (b as Record<string, unknown>)[key],
        [...path, at],
      );
      if (found) return found;
    }
  }
  const show = (x: unknown) => (x === undefined ? "(absent)" : JSON.stringify(x).slice(0, 120));
  return `at ${path.join(".") || "(root)"}: bare ${show(a)}, this gateway ${show(b)}`;
}

/**
 * Every path in `data` where the query selected one of `coordinates` ("Type.field"), walking the
 * query's selections over the answer. The shop has no interfaces or unions, so each object's
 * type is its field's type; a fragment whose condition names another type would be skipped.
 */
export function pathsOf(
  schema: GraphQLSchema,
  query: DocumentNode,
  data: Record<string, unknown>,
  coordinates: ReadonlySet<string>,
): Path[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of query.definitions)
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const found = new Map<string, Path>();
  const walk = (type: GraphQLObjectType, set: SelectionSetNode, value: unknown, path: Path) => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        walk(type, set, item, [...path, i]);
      });
      return;
    }
    if (!value || typeof value !== "object") return;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const at = [...path, key];
        if (coordinates.has(`${type.name}.${selection.name.value}`))
          found.set(JSON.stringify(at), at);
        const fieldType = getNamedType(type.getFields()[selection.name.value]?.type);
        if (selection.selectionSet && isObjectType(fieldType))
          walk(fieldType, selection.selectionSet, (value as Record<string, unknown>)[key], at);
        continue;
      }
      const fragment =
        selection.kind === Kind.FRAGMENT_SPREAD
          ? fragments.get(selection.name.value)
          : { typeCondition: selection.typeCondition, selectionSet: selection.selectionSet };
      if (!fragment) continue;
      const condition = fragment.typeCondition?.name.value;
      if (!condition || condition === type.name) walk(type, fragment.selectionSet, value, path);
    }
  };
  const root = schema.getQueryType();
  const operation = query.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (root && operation?.kind === Kind.OPERATION_DEFINITION)
    walk(root, operation.selectionSet, data, []);
  return [...found.values()];
}

export interface Verdict {
  same: boolean;
  /** What differs, one line each; empty when same. */
  problems: string[];
  /** Withheld values (nulls with an error each), for the withholding gateway. */
  withheld: number;
}

/** A gateway that should answer exactly as bare: the same data, in the same order, no errors. */
export function sameAsBare(bare: GraphQLAnswer, ours: GraphQLAnswer): Verdict {
  const problems: string[] = [];
  const difference = firstDifference(bare.data, ours.data);
  if (difference) problems.push(`data differs ${difference}`);
  else if (JSON.stringify(bare.data) !== JSON.stringify(ours.data))
    problems.push("data is deep-equal but its fields come in another order");
  if (ours.errors?.length)
    problems.push(
      `${ours.errors.length} errors, the first: ${JSON.stringify(ours.errors[0]).slice(0, 300)}`,
    );
  return { same: problems.length === 0, problems, withheld: 0 };
}

/**
 * The withholding gateway: bare's data with exactly the values at `withheldPaths` set to null,
 * and one UNAUTHORIZED_FIELD_OR_TYPE error at each of those paths, no other.
 */
export function withheldFromBare(
  bare: GraphQLAnswer,
  ours: GraphQLAnswer,
  withheldPaths: Path[],
  ruleSuffix: string,
): Verdict {
  const expected = structuredClone(bare.data) as Record<string | number, unknown>;
  for (const path of withheldPaths) {
    let node = expected;
    for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
    node[path[path.length - 1] as string | number] = null;
  }
  const problems: string[] = [];
  const difference = firstDifference(expected, ours.data);
  if (difference) problems.push(`data differs from bare-with-nulls ${difference}`);
  const want = new Set(withheldPaths.map((p) => JSON.stringify(p)));
  const errors = ours.errors ?? [];
  const got = new Set(errors.map((e) => JSON.stringify(e.path)));
  const missing = [...want].filter((p) => !got.has(p));
  const extra = errors.filter((e) => !want.has(JSON.stringify(e.path)));
  if (missing.length)
    problems.push(`${missing.length} withheld values have no error, first ${missing[0]}`);
  if (extra.length)
    problems.push(`${extra.length} errors at other paths, first ${JSON.stringify(extra[0])}`);
  const wrong = errors.filter(
    (e) =>
      e.extensions?.code !== "UNAUTHORIZED_FIELD_OR_TYPE" ||
      !String(e.extensions?.rule ?? "").endsWith(ruleSuffix),
  );
  if (wrong.length)
    problems.push(
      `${wrong.length} errors not from the withholding rule: ${JSON.stringify(wrong[0])}`,
    );
  if (errors.length !== withheldPaths.length)
    problems.push(`${errors.length} errors for ${withheldPaths.length} withheld values`);
  return { same: problems.length === 0, problems, withheld: withheldPaths.length };
}
