import {
  buildASTSchema,
  type DefinitionNode,
  type DocumentNode,
  type FieldDefinitionNode,
  GraphQLError,
  type GraphQLSchema,
  getNamedType,
  getOperationAST,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  Kind,
  type NamedTypeNode,
  parse,
  printSchema,
  type SelectionSetNode,
  specifiedRules,
  type TypeNode,
  validate,
} from "graphql";
import type { Authority } from "./ability.ts";
import { chronologyGiven } from "./chronology/schema.ts";

/** Whether some rule could ever give the role set this field (on some object, in some purpose). */
export type MayGive = (type: string, field: string) => boolean;

const namedOf = (type: TypeNode): string =>
  type.kind === Kind.NAMED_TYPE ? type.name.value : namedOf(type.type);

type Composite = Kind.OBJECT_TYPE_DEFINITION | Kind.INTERFACE_TYPE_DEFINITION;
const isComposite = (def: DefinitionNode): def is Extract<DefinitionNode, { kind: Composite }> =>
  def.kind === Kind.OBJECT_TYPE_DEFINITION || def.kind === Kind.INTERFACE_TYPE_DEFINITION;

/**
 * The API schema with every field `given` says no rule can ever give removed, then every type
 * left with no field (and every field that leads only to such a type), then every type no kept
 * field, argument or directive leads to. Root types stay; the query type stays even with no
 * field (a role set no rule names), and such a schema is built assumed-valid, since graphql-js
 * would refuse a query type without fields and there is nothing it may be given to put there.
 *
 * An interface keeps a field some implementation may be given (as the judge decides it), and
 * every kept implementation keeps it too: the interface already says each of them has it, so
 * the schema stays valid and tells nothing more.
 */
export function pruneSchema(api: GraphQLSchema, given: MayGive): GraphQLSchema {
  const document = parse(printSchema(api));
  const roots = new Set(
    [api.getQueryType(), api.getMutationType(), api.getSubscriptionType()].flatMap((t) =>
      t ? [t.name] : [],
    ),
  );
  const queryName = api.getQueryType()?.name;

  // Kept fields of each object and interface type; start from what the rules may give.
  const kept = new Map<string, Set<string>>();
  const composites = new Map<string, Extract<DefinitionNode, { kind: Composite }>>();
  const own = new Set<string>();
  for (const def of document.definitions) {
    if (!isComposite(def)) continue;
    const name = def.name.value;
    composites.set(name, def);
    const fields = (def.fields ?? []).map((f) => f.name.value).filter((f) => given(name, f));
    for (const f of fields) own.add(`${name}.${f}`);
    kept.set(name, new Set(fields));
  }
  const interfacesOf = (name: string): string[] => {
    const type = api.getType(name);
    return isObjectType(type) || isInterfaceType(type)
      ? type.getInterfaces().map((i) => i.name)
      : [];
  };
  // Every interface's kept fields onto each of its implementations, interfaces first.
  const closed = new Set<string>();
  const close = (name: string): Set<string> => {
    const own = kept.get(name) ?? new Set<string>();
    if (closed.has(name)) return own;
    closed.add(name);
    for (const i of interfacesOf(name)) for (const f of close(i)) own.add(f);
    return own;
  };
  for (const name of kept.keys()) close(name);

  // A field whose type has nothing left cannot be selected at all; removing it may empty its
  // parent in turn, and an interface loses what an implementation lost (or it would not
  // validate), and then an implementation that had the field only from it loses it too.
  const alive = (name: string): boolean => {
    const type = api.getType(name);
    if (isObjectType(type) || isInterfaceType(type))
      return (kept.get(name)?.size ?? 0) > 0 || name === queryName;
    if (isUnionType(type)) return type.getTypes().some((m) => alive(m.name));
    return type !== undefined && type !== null;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, fields] of kept) {
      for (const field of fields) {
        const def = composites.get(name)?.fields?.find((f) => f.name.value === field);
        const held =
          own.has(`${name}.${field}`) || interfacesOf(name).some((i) => kept.get(i)?.has(field));
        if (def && held && alive(namedOf(def.type))) continue;
        fields.delete(field);
        changed = true;
        for (const i of interfacesOf(name)) kept.get(i)?.delete(field);
      }
    }
  }

  // What a client can reach from the roots through what is left.
  const reached = new Set<string>();
  const reach = (name: string) => {
    if (reached.has(name) || !alive(name)) return;
    reached.add(name);
    const type = api.getType(name);
    if (isObjectType(type) || isInterfaceType(type)) {
      const fields = type.getFields();
      for (const f of kept.get(name) ?? []) {
        const field = fields[f];
        if (!field) continue;
        reach(getNamedType(field.type).name);
        for (const arg of field.args) reach(getNamedType(arg.type).name);
      }
      for (const i of type.getInterfaces()) reach(i.name);
      if (isInterfaceType(type)) for (const t of api.getPossibleTypes(type)) reach(t.name);
    } else if (isUnionType(type)) {
      for (const t of type.getTypes()) reach(t.name);
    } else if (isInputObjectType(type)) {
      for (const f of Object.values(type.getFields())) reach(getNamedType(f.type).name);
    }
  };
  for (const root of roots) reach(root);
  for (const directive of api.getDirectives())
    for (const arg of directive.args) reach(getNamedType(arg.type).name);
  if (queryName) reached.add(queryName);

  const keepNamed = (n: NamedTypeNode) => reached.has(n.name.value);
  const definitions: DefinitionNode[] = [];
  for (const def of document.definitions) {
    if (def.kind === Kind.SCHEMA_DEFINITION) {
      definitions.push({
        ...def,
        operationTypes: def.operationTypes.filter((op) => keepNamed(op.type)),
      });
      continue;
    }
    if (def.kind === Kind.DIRECTIVE_DEFINITION || !("name" in def) || !def.name) {
      definitions.push(def);
      continue;
    }
    const name = def.name.value;
    if (!reached.has(name)) continue;
    if (isComposite(def)) {
      const fields = kept.get(name) ?? new Set<string>();
      definitions.push({
        ...def,
        fields: (def.fields ?? []).filter((f: FieldDefinitionNode) => fields.has(f.name.value)),
        interfaces: (def.interfaces ?? []).filter(keepNamed),
      });
    } else if (def.kind === Kind.UNION_TYPE_DEFINITION) {
      definitions.push({ ...def, types: (def.types ?? []).filter(keepNamed) });
    } else {
      definitions.push(def);
    }
  }
  const pruned: DocumentNode = { ...document, definitions };
  const empty = queryName !== undefined && (kept.get(queryName)?.size ?? 0) === 0;
  return buildASTSchema(pruned, { assumeValid: empty, assumeValidSDL: empty });
}

/**
 * Whether any rule can ever give these roles a field: outside and in an enquiry, and with and
 * without breaking the glass when one of the roles may break it. On an interface, whether it
 * can on some implementation, as the judge decides (judge.ts).
 */
export function givenTo(authority: Authority, roles: readonly string[]): MayGive {
  const breakGlass = authority.mayBreakGlass(roles) ? [false, true] : [false];
  const abilities = [false, true].flatMap((inEnquiry) =>
    breakGlass.map((glass) => authority.ability({ roles, inEnquiry, breakGlass: glass })),
  );
  const onType = (type: string, field: string) =>
    abilities.some((ability) => authority.mayAllow(ability, type, field));
  return (type, field) => {
    const members = authority.policy.possibleTypes.get(type);
    return members ? members.some((m) => onType(m, field)) : onType(type, field);
  };
}

/** Policy versions kept at once: the one in force, and a governance simulation's candidates. */
const VERSIONS = 4;

/**
 * Role sets kept per policy version. Each entry is a whole schema, and the key is the set of the
 * agreement's roles a token carries, so without a bound the cache could hold one for every
 * subset of the roles (4,096 for twelve). Tokens carry a role or two: 64 sets hold every
 * combination in use, and one dropped is rebuilt at its next request.
 */
export const MAX_ROLE_SETS = 64;

/**
 * Each role set's schema, built once per (role set, policy version) over the API schema. The
 * version is read from the authority each time, so a publication (or a file edit) is shown at
 * the next request. Per version, the least recently used role set goes past `maxRoleSets`.
 */
export class RoleSchemas {
  private readonly byApi = new WeakMap<GraphQLSchema, Map<string, Map<string, GraphQLSchema>>>();
  private readonly maxRoleSets: number;

  constructor(options: { maxRoleSets?: number } = {}) {
    this.maxRoleSets = options.maxRoleSets ?? MAX_ROLE_SETS;
  }

  schemaFor(api: GraphQLSchema, authority: Authority, roles: readonly string[]): GraphQLSchema {
    const { policy } = authority;
    let versions = this.byApi.get(api);
    if (!versions) {
      versions = new Map();
      this.byApi.set(api, versions);
    }
    let byRoles = versions.get(policy.version);
    if (!byRoles) {
      byRoles = new Map();
      versions.set(policy.version, byRoles);
      if (versions.size > VERSIONS) versions.delete(versions.keys().next().value as string);
    }
    // Only roles the agreement knows change what is given: a token's other roles do not make
    // another schema (so neither another cache entry).
    const known = [...new Set(roles)].filter((r) => policy.roles.has(r)).sort();
    const key = known.join(",");
    let schema = byRoles.get(key);
    if (schema) {
      // Most recently used last: the first entry is the one to drop.
      byRoles.delete(key);
    } else {
      // The chronology is given as the fields it is made of are (chronology/schema.ts).
      schema = pruneSchema(api, chronologyGiven(api, givenTo(authority, known)));
      if (byRoles.size >= this.maxRoleSets) byRoles.delete(byRoles.keys().next().value as string);
    }
    byRoles.set(key, schema);
    return schema;
  }
}

const INTROSPECTION = new Set(["__schema", "__type"]);

/**
 * Whether the operation reads the schema: "only" when its root selection (through fragments)
 * asks for __schema or __type and nothing but __typename besides, "mixed" when it asks for data
 * too, "none" otherwise.
 */
export function introspectionIn(
  document: DocumentNode,
  operationName: string | null | undefined,
): "none" | "only" | "mixed" {
  const operation = getOperationAST(document, operationName);
  if (!operation) return "none";
  const fragments = new Map(
    document.definitions.flatMap((d) =>
      d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [],
    ),
  );
  const names = new Set<string>();
  const seen = new Set<string>();
  const collect = (set: SelectionSetNode) => {
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) names.add(s.name.value);
      else if (s.kind === Kind.INLINE_FRAGMENT) collect(s.selectionSet);
      else if (!seen.has(s.name.value)) {
        seen.add(s.name.value);
        const fragment = fragments.get(s.name.value);
        if (fragment) collect(fragment.selectionSet);
      }
    }
  };
  collect(operation.selectionSet);
  const introspects = [...names].some((n) => INTROSPECTION.has(n));
  if (!introspects) return "none";
  return [...names].every((n) => INTROSPECTION.has(n) || n === "__typename") ? "only" : "mixed";
}

const SUGGESTION = / Did you mean .*\?$/s;

/** The error without graphql-js's "Did you mean ...?", for when no role schema can say. */
export function withoutSuggestion(error: GraphQLError): GraphQLError {
  if (!SUGGESTION.test(error.message)) return error;
  return new GraphQLError(error.message.replace(SUGGESTION, ""), {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: error.extensions,
  });
}

/**
 * The validation errors a requester is shown for a document the API schema refused: the errors
 * of the rules graphql-js specifies, as their role schema gives them (so a suggestion names only
 * what they may be given, and a name they may never be given reads as one that does not exist),
 * then the gateway's own rules' errors as they were. A document those rules accept on the API
 * schema keeps its errors (the gateway's limits), without suggestions.
 */
export function validationErrorsFor(
  api: GraphQLSchema,
  roleSchema: GraphQLSchema | undefined,
  document: DocumentNode,
  errors: readonly GraphQLError[],
): GraphQLError[] {
  const specified = new Set(validate(api, document, specifiedRules).map((e) => e.message));
  if (specified.size === 0 || !roleSchema) return errors.map(withoutSuggestion);
  const own = errors.filter((e) => !specified.has(e.message)).map(withoutSuggestion);
  const asRole = validate(roleSchema, document, specifiedRules);
  // A subset of the API schema refuses what the API schema refused; should it not, the API
  // schema's errors are shown without what they suggest.
  const shown =
    asRole.length > 0
      ? asRole
      : errors.filter((e) => specified.has(e.message)).map(withoutSuggestion);
  return [...shown, ...own];
}
