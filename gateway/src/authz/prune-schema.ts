import {
  buildASTSchema,
  type DefinitionNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type GraphQLSchema,
  getNamedType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  Kind,
  type NamedTypeNode,
  parse,
  printSchema,
  type TypeNode,
} from "graphql";

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
