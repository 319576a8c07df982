import {
  type ConstDirectiveNode,
  type ConstValueNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  getNamedType,
  isNonNullType,
  isObjectType,
  Kind,
  type ObjectTypeDefinitionNode,
  type ObjectTypeExtensionNode,
  parse,
} from "graphql";
import { CHRONOLOGY_SPEC, DATED_DIRECTIVE, ROOT_DIRECTIVE } from "./names.ts";

/** One field on the way from the person to their dated items. */
export interface PathField {
  parentType: string;
  name: string;
}

/** One way from the person to a list of dated items: `police.incidents`, `enquiries.timeline`. */
export interface DatedPath {
  /** The subgraph that holds the items (its name in the supergraph): the entry's `agency`. */
  agency: string;
  /** From the person's field to the field holding the items, never through the person again. */
  fields: readonly PathField[];
  /** The dated object type, and the field that dates it. */
  type: string;
  dateField: string;
}

/** What a chronology is made of, read from the supergraph's declarations. */
export interface ChronologySpec {
  /** The type that gets the field. */
  root: string;
  /** In a fixed order (breadth first from the root, fields in schema order): ties keep it. */
  paths: readonly DatedPath[];
  /** Every agency with a path, sorted: the names `agencies:` accepts. */
  agencies: readonly string[];
  /** Every dated type with a path, sorted: the union's members. */
  items: readonly string[];
}

/**
 * How far from the person a dated list may be. The entry and its item add two levels to a
 * query, so a path of two fields makes an expanded document no deeper than the client's.
 */
export const MAX_PATH_FIELDS = 2;

type Composite = ObjectTypeDefinitionNode | ObjectTypeExtensionNode;

const stringArg = (directive: ConstDirectiveNode, name: string): string | undefined => {
  const value = directive.arguments?.find((a) => a.name.value === name)?.value;
  return value?.kind === Kind.STRING || value?.kind === Kind.ENUM ? value.value : undefined;
};

/** The names our spec's directives go by in this supergraph, as its `@link` imports them. */
function directiveNames(document: DocumentNode): { dated: string; root: string } | undefined {
  for (const def of document.definitions) {
    if (def.kind !== Kind.SCHEMA_DEFINITION && def.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const link of def.directives ?? []) {
      if (link.name.value !== "link") continue;
      const url = stringArg(link, "url");
      if (!url?.startsWith(`${CHRONOLOGY_SPEC}/`)) continue;
      const prefix = stringArg(link, "as") ?? "chronology";
      const names = {
        dated: `${prefix}__${DATED_DIRECTIVE}`,
        root: `${prefix}__${ROOT_DIRECTIVE}`,
      };
      const imports = link.arguments?.find((a) => a.name.value === "import")?.value;
      const list: readonly ConstValueNode[] = imports?.kind === Kind.LIST ? imports.values : [];
      for (const item of list) {
        let name: string | undefined;
        let as: string | undefined;
        if (item.kind === Kind.STRING) name = item.value;
        else if (item.kind === Kind.OBJECT) {
          for (const f of item.fields)
            if (f.value.kind === Kind.STRING) {
              if (f.name.value === "name") name = f.value.value;
              if (f.name.value === "as") as = f.value.value;
            }
        }
        const local = (as ?? name)?.replace(/^@/, "");
        if (name === `@${DATED_DIRECTIVE}` && local) names.dated = local;
        if (name === `@${ROOT_DIRECTIVE}` && local) names.root = local;
      }
      return names;
    }
  }
  return undefined;
}

/**
 * The chronology the supergraph declares: the type marked `@chronology` and every way from it,
 * through object fields the API schema serves (none returning the root again, none with a
 * required argument, at most MAX_PATH_FIELDS), to a field of a type with a `@dated` field. Each
 * dated type is reached by its shortest ways only, so an item is not listed twice (a contact
 * is the person's, not again each enquiry's). Undefined when nothing is declared.
 */
export function deriveChronology(
  supergraphSdl: string,
  api: GraphQLSchema,
): ChronologySpec | undefined {
  const document = parse(supergraphSdl, { noLocation: true });
  const names = directiveNames(document);
  if (!names) return undefined;
  const composites = new Map<string, Composite[]>();
  const graphNames = new Map<string, string>();
  for (const def of document.definitions) {
    if (def.kind === Kind.OBJECT_TYPE_DEFINITION || def.kind === Kind.OBJECT_TYPE_EXTENSION)
      composites.set(def.name.value, [...(composites.get(def.name.value) ?? []), def]);
    if (def.kind === Kind.ENUM_TYPE_DEFINITION && def.name.value === "join__Graph")
      for (const value of def.values ?? []) {
        const graph = value.directives?.find((d) => d.name.value === "join__graph");
        const name = graph && stringArg(graph, "name");
        if (name) graphNames.set(value.name.value, name);
      }
  }
  const has = (nodes: readonly ConstDirectiveNode[] | undefined, name: string) =>
    (nodes ?? []).some((d) => d.name.value === name);
  const fieldDef = (type: string, field: string): FieldDefinitionNode | undefined =>
    composites
      .get(type)
      ?.flatMap((d) => d.fields ?? [])
      .find((f) => f.name.value === field);
  const graphsOf = (nodes: readonly ConstDirectiveNode[] | undefined, directive: string) =>
    (nodes ?? [])
      .filter((d) => d.name.value === directive)
      .flatMap((d) => {
        const graph = stringArg(d, "graph");
        const name = graph && graphNames.get(graph);
        return name ? [name] : [];
      });

  const roots = [...composites].filter(([, defs]) =>
    defs.some((d) => has(d.directives, names.root)),
  );
  if (roots.length !== 1) return undefined;
  const root = (roots[0] as [string, Composite[]])[0];
  const rootType = api.getType(root);
  if (!isObjectType(rootType)) return undefined;

  // The dated types the API serves, and the field dating each (the first marked one).
  const dateFieldOf = new Map<string, string>();
  for (const [name, defs] of composites) {
    const field = defs.flatMap((d) => d.fields ?? []).find((f) => has(f.directives, names.dated));
    if (field && isObjectType(api.getType(name)) && name !== root)
      dateFieldOf.set(name, field.name.value);
  }
  // Which agency holds a dated type: the one subgraph serving its date, else the path's first.
  const agencyOf = (type: string, dateField: string, first: PathField): string => {
    const field = fieldDef(type, dateField);
    const byField = graphsOf(field?.directives, "join__field");
    const byType = (composites.get(type) ?? []).flatMap((d) =>
      graphsOf(d.directives, "join__type"),
    );
    const own = byField.length ? byField : byType;
    const unique = [...new Set(own)];
    if (unique.length === 1) return unique[0] as string;
    const viaFirst = graphsOf(fieldDef(first.parentType, first.name)?.directives, "join__field");
    return viaFirst[0] ?? unique[0] ?? root;
  };

  const selectable = (field: GraphQLField<unknown, unknown>) =>
    field.args.every((a) => !isNonNullType(a.type) || a.defaultValue !== undefined);
  const paths: DatedPath[] = [];
  const shortest = new Map<string, number>();
  let frontier: { type: GraphQLObjectType; fields: PathField[] }[] = [
    { type: rootType, fields: [] },
  ];
  for (let depth = 1; depth <= MAX_PATH_FIELDS && frontier.length > 0; depth++) {
    const next: typeof frontier = [];
    for (const { type, fields } of frontier) {
      for (const field of Object.values(type.getFields())) {
        const named = getNamedType(field.type);
        if (!isObjectType(named) || named.name === root || !selectable(field)) continue;
        const seen = fields.some((f) => f.parentType === named.name) || named.name === type.name;
        if (seen) continue;
        const step = [...fields, { parentType: type.name, name: field.name }];
        const dateField = dateFieldOf.get(named.name);
        if (dateField !== undefined) {
          const best = shortest.get(named.name) ?? depth;
          if (depth > best) continue;
          shortest.set(named.name, depth);
          const agency = agencyOf(named.name, dateField, step[0] as PathField);
          paths.push({ agency, fields: step, type: named.name, dateField });
          continue;
        }
        next.push({ type: named, fields: step });
      }
    }
    frontier = next;
  }
  if (paths.length === 0) return undefined;
  return {
    root,
    paths,
    agencies: [...new Set(paths.map((p) => p.agency))].sort(),
    items: [...new Set(paths.map((p) => p.type))].sort(),
  };
}
