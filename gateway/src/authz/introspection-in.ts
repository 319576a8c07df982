import { type DocumentNode, getOperationAST, Kind, type SelectionSetNode } from "graphql";

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
