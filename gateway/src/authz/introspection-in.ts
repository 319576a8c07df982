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
): Introspection {
  // Asked on every request; Apollo Server hands the same document for the same query text.
  let byName = answers.get(document);
  if (!byName) {
    byName = new Map();
    answers.set(document, byName);
  }
  // No name (the document's one operation) is not the name "" (an operation no document has).
  const name = operationName ?? NO_NAME;
  let answer = byName.get(name);
  if (answer === undefined) {
    answer = introspectionOf(document, operationName);
    // A document is sent with a few operation names at most; a flood of names is not kept.
    if (byName.size < 16) byName.set(name, answer);
  }
  return answer;
}

type Introspection = "none" | "only" | "mixed";
const answers = new WeakMap<DocumentNode, Map<string | typeof NO_NAME, Introspection>>();
const NO_NAME = Symbol("no operation name");

function introspectionOf(
  document: DocumentNode,
  operationName: string | null | undefined,
): Introspection {
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
