import {
  type FieldNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  isAbstractType,
  isInterfaceType,
  isNonNullType,
  isObjectType,
  Kind,
  parse,
  print,
  type SelectionNode,
  type SelectionSetNode,
  type TypeNode,
  visit,
} from "graphql";
import type { NarrowedFetch } from "../request/context.ts";
import type { Judge } from "./judge.ts";
import { HELPER_PREFIX } from "./rewrite.ts";

/**
 * The texts of an entity fetch narrowed for people outside the purpose (narrow-fetch.ts says
 * why): each nullable field no rule needing no enquiry could show is left out; a non-null one is
 * kept (missing, it would null its parent), a field holding people keeps its whole selection (a
 * person below has a purpose of their own), helpers, __typename and what the plan hands to a
 * later fetch (entity keys, `@requires` inputs: the plan guard's planInputs) are always kept.
 */

/** The alias and variable of the entity field for people outside the purpose. */
export const OUTSIDE = `${HELPER_PREFIX}outside`;

class Unnarrowable extends Error {}

/** The fetch for people outside the purpose, or null when it is to be sent as planned. */
export function narrowedSelection(
  schema: GraphQLSchema,
  judge: Judge,
  scopeType: string,
  query: string,
  inputs: ReadonlySet<string>,
): { asked: NarrowedFetch["asked"] } | null {
  try {
    const document = parse(query, { noLocation: true });
    const [operation, ...rest] = document.definitions;
    if (rest.length > 0 || operation?.kind !== Kind.OPERATION_DEFINITION) return null;
    const [root, ...others] = operation.selectionSet.selections;
    if (others.length > 0 || root?.kind !== Kind.FIELD || root.name.value !== "_entities")
      return null;
    const [argument, ...more] = root.arguments ?? [];
    const definitions = operation.variableDefinitions ?? [];
    if (
      more.length > 0 ||
      argument?.name.value !== "representations" ||
      argument.value.kind !== Kind.VARIABLE ||
      argument.value.name.value !== "representations" ||
      definitions.some((d) => d.variable.name.value === OUTSIDE)
    )
      return null;
    const person = schema.getType(scopeType);
    if (!person || !root.selectionSet) return null;
    const narrower = new Narrower(schema, judge, scopeType, inputs);
    let asked = false;
    const selections: SelectionNode[] = [];
    for (const selection of root.selectionSet.selections) {
      if (selection.kind === Kind.FIELD && selection.name.value === "__typename") {
        selections.push(selection);
        continue;
      }
      if (
        selection.kind !== Kind.INLINE_FRAGMENT ||
        selection.typeCondition?.name.value !== scopeType
      )
        return null;
      const kept = narrower.selections(person, selection.selectionSet);
      // A fragment left empty would not parse: it goes (the narrower marked the change).
      if (kept.length === 0) continue;
      if (kept.some((s) => !(s.kind === Kind.FIELD && s.name.value === "__typename"))) asked = true;
      selections.push({
        ...selection,
        selectionSet: { ...selection.selectionSet, selections: kept },
      });
    }
    if (!narrower.changed) return null;
    if (!asked) return { asked: null };
    const narrowedRoot: FieldNode = { ...root, selectionSet: { ...root.selectionSet, selections } };
    const used = new Set<string>();
    visit(narrowedRoot, {
      Variable(node) {
        used.add(node.name.value);
      },
    });
    const alone = print({
      ...operation,
      variableDefinitions: definitions.filter((d) => used.has(d.variable.name.value)),
      selectionSet: { ...operation.selectionSet, selections: [narrowedRoot] },
    });
    // Both in one request: the planned field for those inside, an aliased one for the rest.
    const outsideRoot: FieldNode = {
      ...narrowedRoot,
      alias: { kind: Kind.NAME, value: OUTSIDE },
      arguments: [{ ...argument, value: { kind: Kind.VARIABLE, name: name(OUTSIDE) } }],
    };
    const both = print({
      ...operation,
      variableDefinitions: [
        ...definitions,
        {
          kind: Kind.VARIABLE_DEFINITION,
          variable: { kind: Kind.VARIABLE, name: name(OUTSIDE) },
          type: nonNullListOf("_Any"),
        },
      ],
      selectionSet: { ...operation.selectionSet, selections: [root, outsideRoot] },
    });
    const unused = definitions.map((d) => d.variable.name.value).filter((n) => !used.has(n));
    return { asked: { both, alone, unused } };
  } catch {
    // A text that does not parse, a field the schema lacks, a fragment spread: as planned.
    return null;
  }
}

const name = (value: string) => ({ kind: Kind.NAME, value }) as const;
const nonNullListOf = (type: string): TypeNode => ({
  kind: Kind.NON_NULL_TYPE,
  type: {
    kind: Kind.LIST_TYPE,
    type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: name(type) } },
  },
});

const TYPENAME: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: "__typename" } };

/** Walks a person's selection, leaving out what no rule could show outside the purpose. */
class Narrower {
  changed = false;
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly judge: Judge,
    private readonly scopeType: string,
    /** What the plan hands from this fetch to a later one ("Type.field"): never left out. */
    private readonly inputs: ReadonlySet<string>,
  ) {}

  /** Whether values of the type may be a person: their selections are theirs to decide. */
  private personal(type: GraphQLNamedType): boolean {
    if (type.name === this.scopeType) return true;
    return (
      isAbstractType(type) &&
      this.schema.getPossibleTypes(type).some((member) => member.name === this.scopeType)
    );
  }

  selections(parent: GraphQLNamedType, set: SelectionSetNode): SelectionNode[] {
    const kept: SelectionNode[] = [];
    for (const selection of set.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) throw new Unnarrowable();
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition
          ? this.schema.getType(selection.typeCondition.name.value)
          : parent;
        if (!type) throw new Unnarrowable();
        if (type.name !== parent.name && this.personal(type)) {
          kept.push(selection);
          continue;
        }
        const inner = this.selections(type, selection.selectionSet);
        if (inner.length === 0) {
          this.changed = true;
          continue;
        }
        kept.push({ ...selection, selectionSet: { ...selection.selectionSet, selections: inner } });
        continue;
      }
      const name = selection.name.value;
      if (name === "__typename" || selection.alias?.value.startsWith(HELPER_PREFIX)) {
        kept.push(selection);
        continue;
      }
      const def =
        isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
      if (!def) throw new Unnarrowable();
      if (
        !isNonNullType(def.type) &&
        !this.inputs.has(`${parent.name}.${name}`) &&
        !this.judge.mayShowOutside(parent.name, name)
      ) {
        this.changed = true;
        continue;
      }
      const named = getNamedType(def.type);
      if (!selection.selectionSet || this.personal(named)) {
        kept.push(selection);
        continue;
      }
      const inner = this.selections(named, selection.selectionSet);
      // The object itself may be shown (or null): it is still asked, with nothing in it.
      const selections = inner.length > 0 ? inner : [TYPENAME];
      kept.push({ ...selection, selectionSet: { ...selection.selectionSet, selections } });
    }
    return kept;
  }
}
