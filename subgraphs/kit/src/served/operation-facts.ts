import type { ApolloServerPlugin, BaseContext } from "@apollo/server";
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";

/** What a served request asked for, as the subgraph resolved it: for its served log. */
export interface OperationFacts {
  operation: string | null;
  rootFields: string | null;
  queryHash: string | null;
  entities: number;
}

export const noOperation = (): OperationFacts => ({
  operation: null,
  rootFields: null,
  queryHash: null,
  entities: 0,
});

/**
 * Where a request's context value carries its OperationFacts. A symbol, as Apollo copies the
 * context value (own properties, symbols included) before the pipeline sees it, and no resolver
 * reads a member it cannot name.
 */
export const OPERATION_FACTS = Symbol("mash.servedFacts");

/** Fills in each request's OperationFacts (its context's OPERATION_FACTS) once resolved. */
export function operationFactsPlugin(): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation, document, queryHash, request }) {
          const facts = (contextValue as { [OPERATION_FACTS]?: OperationFacts })[OPERATION_FACTS];
          if (!facts || !operation) return;
          const roots = new Set<string>();
          facts.entities = countRoots(
            operation,
            fragmentsOf(document),
            request.variables ?? {},
            roots,
          );
          facts.operation = operation.operation;
          facts.rootFields = [...roots].sort().join(",");
          facts.queryHash = queryHash;
        },
      };
    },
  };
}

const fragmentsOf = (document: DocumentNode) => {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  return fragments;
};

/** The root fields an operation asks for, through its fragments. */
export function rootFieldsOf(
  document: DocumentNode,
  operation: OperationDefinitionNode,
): Set<string> {
  const roots = new Set<string>();
  countRoots(operation, fragmentsOf(document), {}, roots);
  return roots;
}

/** Collects the root field names; answers how many representations `_entities` was given. */
function countRoots(
  operation: OperationDefinitionNode,
  fragments: Map<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  roots: Set<string>,
): number {
  let entities = 0;
  const visited = new Set<string>();
  const walk = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet);
      else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (fragment && !visited.has(fragment.name.value)) {
          visited.add(fragment.name.value);
          walk(fragment.selectionSet);
        }
      } else {
        roots.add(selection.name.value);
        if (selection.name.value !== "_entities") continue;
        const argument = selection.arguments?.find((a) => a.name.value === "representations");
        const value = argument?.value;
        if (value?.kind === Kind.LIST) entities += value.values.length;
        else if (value?.kind === Kind.VARIABLE) {
          const list = variables[value.name.value];
          if (Array.isArray(list)) entities += list.length;
        }
      }
    }
  };
  walk(operation.selectionSet);
  return entities;
}
