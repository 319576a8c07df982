import {
  BREAK,
  type DocumentNode,
  type FieldNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  getArgumentValues,
  getNamedType,
  isInterfaceType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
  visit,
} from "graphql";
import type { ChronologySpec, DatedPath } from "./derive-paths.ts";
import { type EntryField, entrySelection, itemSelectionFor } from "./entry-selection.ts";
import { inlineFragments } from "./inline-fragments.ts";
import {
  AGENCIES_ARGUMENT,
  CHRONOLOGY_FIELD,
  DATE_ALIAS,
  markerAlias,
  pathAlias,
  RESERVED_PREFIX,
} from "./names.ts";
import { ChronologyRefused } from "./refused.ts";

/** One chronology field of the client's document, as the expansion replaced it. */
export interface ChronologyInstance {
  n: number;
  /** The client's response key for it. */
  responseKey: string;
  /** The client's field: where its errors are located. */
  node: FieldNode;
  /** The paths fetched for it, the i-th under pathAlias(n, i); the agencies asked for alone. */
  paths: readonly DatedPath[];
  /** The entry's response keys, in the client's order. */
  entryKeys: readonly { key: string; field: EntryField }[];
}

export interface Expanded {
  document: DocumentNode;
  instances: readonly ChronologyInstance[];
}

type Variables = Record<string, unknown>;

/** Whether the document asks for the field at all (or uses the gateway's reserved keys). */
function mentions(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Field(node) {
      if (node.name.value === CHRONOLOGY_FIELD || node.alias?.value.startsWith(RESERVED_PREFIX)) {
        found = true;
        return BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/**
 * The document with each `chronology` field replaced by the fields it is made of: a marker
 * where it stood, and per path (of the agencies asked for) the path's fields under one alias,
 * holding the date and the client's item selection for that path's type. What is fetched and
 * judged is then an ordinary query of the agencies' own fields. Undefined: nothing to expand.
 * Throws ChronologyRefused for bad input.
 */
export function expandChronology(
  schema: GraphQLSchema,
  spec: ChronologySpec,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Variables = {},
): Expanded | undefined {
  if (!mentions(document)) return undefined;
  const inlined = inlineFragments(document, operationName);
  if (!inlined) return undefined;
  const root = schema.getType(spec.root);
  const instances: ChronologyInstance[] = [];

  // Where each chronology answers (its response path): two under one key would be two lists,
  // each sorted by what it shows, zipped into one, so that one item's fields could sit beside
  // another's. Refused instead.
  const answeredAt = new Set<string>();
  const walk = (
    set: SelectionSetNode,
    parent: GraphQLNamedType | undefined,
    inItem: boolean,
    at = "",
  ): SelectionSetNode => ({
    ...set,
    selections: set.selections.flatMap((s) => walkOne(s, parent, inItem, at)),
  });
  const walkOne = (
    selection: SelectionNode,
    parent: GraphQLNamedType | undefined,
    inItem: boolean,
    at: string,
  ): SelectionNode[] => {
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      const on = selection.typeCondition
        ? schema.getType(selection.typeCondition.name.value)
        : parent;
      return [
        { ...selection, selectionSet: walk(selection.selectionSet, on ?? undefined, inItem, at) },
      ];
    }
    if (selection.kind !== Kind.FIELD) return [selection];
    if (selection.alias?.value.startsWith(RESERVED_PREFIX))
      throw new ChronologyRefused(
        `Aliases starting with "${RESERVED_PREFIX}" are the gateway's own; choose another alias.`,
        selection,
      );
    if (parent === root && selection.name.value === CHRONOLOGY_FIELD) {
      if (inItem)
        throw new ChronologyRefused(
          "A chronology cannot be asked for inside a chronology's item; ask for it apart.",
          selection,
        );
      const key = `${at}.${selection.alias?.value ?? selection.name.value}`;
      if (answeredAt.has(key))
        throw new ChronologyRefused(
          "Ask for a chronology once under each name; give the second one an alias of its own.",
          selection,
        );
      answeredAt.add(key);
      return expandOne(selection);
    }
    if (!selection.selectionSet) return [selection];
    const field =
      isObjectType(parent) || isInterfaceType(parent)
        ? parent.getFields()[selection.name.value]
        : undefined;
    const type = field ? getNamedType(field.type) : undefined;
    const here = `${at}.${selection.alias?.value ?? selection.name.value}`;
    return [{ ...selection, selectionSet: walk(selection.selectionSet, type, inItem, here) }];
  };

  const expandOne = (node: FieldNode): SelectionNode[] => {
    const n = instances.length;
    const paths = pathsAsked(node);
    const { entryKeys, itemKey, itemSelections } = entrySelection(node, variables);
    instances.push({
      n,
      responseKey: node.alias?.value ?? node.name.value,
      node,
      paths,
      entryKeys,
    });
    const marker: FieldNode = {
      kind: Kind.FIELD,
      alias: { kind: Kind.NAME, value: markerAlias(n) },
      name: { kind: Kind.NAME, value: "__typename" },
      directives: node.directives,
    };
    return [
      marker,
      ...paths.map((path, i) => {
        const item = schema.getType(path.type) ?? undefined;
        const own = walk(
          {
            kind: Kind.SELECTION_SET,
            selections: itemSelectionFor(schema, itemSelections, path.type),
          },
          item,
          true,
        ).selections;
        let inner: SelectionSetNode = {
          kind: Kind.SELECTION_SET,
          selections: [field(path.dateField, DATE_ALIAS), ...(itemKey === undefined ? [] : own)],
        };
        for (let f = path.fields.length - 1; f > 0; f--)
          inner = {
            kind: Kind.SELECTION_SET,
            selections: [field((path.fields[f] as { name: string }).name, undefined, inner)],
          };
        const first = path.fields[0] as { name: string };
        return { ...field(first.name, pathAlias(n, i), inner), directives: node.directives };
      }),
    ];
  };

  const pathsAsked = (node: FieldNode): readonly DatedPath[] => {
    const definition = isObjectType(root) ? root.getFields()[CHRONOLOGY_FIELD] : undefined;
    if (!definition) return spec.paths;
    let asked: unknown;
    try {
      asked = getArgumentValues(definition, node, variables)[AGENCIES_ARGUMENT];
    } catch (error) {
      throw new ChronologyRefused((error as Error).message, node);
    }
    if (asked === null || asked === undefined) return spec.paths;
    const names = (Array.isArray(asked) ? asked : [asked]).map(String);
    const unknown = names.filter((a) => !spec.agencies.includes(a));
    if (unknown.length > 0)
      throw new ChronologyRefused(
        `${CHRONOLOGY_FIELD}(${AGENCIES_ARGUMENT}:) knows no agency ${unknown.map((a) => `"${a}"`).join(", ")}; the agencies are ${spec.agencies.join(", ")}.`,
        node,
      );
    return spec.paths.filter((p) => names.includes(p.agency));
  };

  const operation: OperationDefinitionNode = {
    ...inlined.operation,
    selectionSet: walk(
      inlined.operation.selectionSet,
      (inlined.operation.operation === "mutation"
        ? schema.getMutationType()
        : schema.getQueryType()) ?? undefined,
      false,
    ),
  };
  if (instances.length === 0) return undefined;
  return { document: { kind: Kind.DOCUMENT, definitions: [operation] }, instances };
}

const field = (name: string, alias?: string, selectionSet?: SelectionSetNode): FieldNode => ({
  kind: Kind.FIELD,
  name: { kind: Kind.NAME, value: name },
  ...(alias ? { alias: { kind: Kind.NAME, value: alias } } : {}),
  ...(selectionSet ? { selectionSet } : {}),
});
