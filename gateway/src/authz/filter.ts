import {
  type DocumentNode,
  type ExecutionResult,
  execute,
  GraphQLError,
  type GraphQLFieldResolver,
  type GraphQLOutputType,
  type GraphQLSchema,
  getNamedType,
  isAbstractType,
  isObjectType,
} from "graphql";
import type { FilterCollector } from "../request/context.ts";
import { helperAlias, TYPENAME_ALIAS } from "./rewrite.ts";

type Row = Record<string, unknown>;

export interface FieldJudge {
  /**
   * The person objects hang under: the nearest object of this type decides "in enquiry". A
   * policy with no scope has none, and nothing is ever in enquiry.
   */
  scopeType: string | undefined;
  scopeKey: string | undefined;
  /** A Boolean field of the scope type that makes a look at the person worth telling owners. */
  scopeFlag?: string;
  /** Fields conditional rules read on each type (fetched under helper aliases). */
  conditionFields(type: string): readonly string[];
  /**
   * Set when a list item must be left out, as if it did not exist: a value a rule applying to
   * the requester reads in its conditions (`field`) is one the requester may not read on this
   * object (withheld by `rule`), so showing the item at all (its id, that it is there, how many
   * there are) would tell it.
   */
  concealment?(
    type: string,
    object: Row,
    scope: string | undefined,
  ): { field: string; rule: string } | undefined;
  /** Throws the withheld-field error when the field may not be seen on this object. */
  check(type: string, field: string, object: Row, scope: string | undefined): void;
  /** The agency that owns a field, and the subgraphs that serve its data. */
  ownerOf(
    type: string,
    field: string,
  ): { agency: string; title: string; subgraphs: readonly string[] };
}

export type { FilterCollector };

export const AGENCY_UNAVAILABLE = "AGENCY_UNAVAILABLE";

/**
 * The result-time half of enforcement: runs the client's own operation again, over the data the
 * gateway fetched, with a resolver that reads each field by its response key and asks the judge
 * first. graphql-js then does what a hand-written filter would get wrong: aliases, fragments,
 * variables, @include/@skip, error paths, null propagation into non-null parents, and dropping
 * every helper field the client did not ask for.
 */
export function filterResult(options: {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName: string | null | undefined;
  variables: Record<string, unknown> | undefined;
  result: ExecutionResult;
  judge: FieldJudge;
  collect?: FilterCollector;
}): ExecutionResult {
  const { judge, collect } = options;
  const scopeOf = new WeakMap<object, string | undefined>();
  const canonical = new WeakMap<object, Row>();

  // Types with no conditions get one empty view each: CASL tags a view with its type.
  const empty = new Map<string, Row>();
  const conditionView = (type: string, object: Row): Row => {
    const fields = judge.conditionFields(type);
    if (fields.length === 0) {
      let view = empty.get(type);
      if (!view) {
        view = {};
        empty.set(type, view);
      }
      return view;
    }
    let view = canonical.get(object);
    if (!view) {
      view = {};
      for (const f of fields) view[f] = object[helperAlias(type, f)];
      canonical.set(object, view);
    }
    return view;
  };

  const adopt = (value: unknown, returnType: GraphQLOutputType, scope: string | undefined) => {
    const named = getNamedType(returnType);
    const abstract = isAbstractType(named);
    if (!abstract && !isObjectType(named)) return;
    const { scopeType, scopeKey, scopeFlag } = judge;
    const visit = (item: unknown) => {
      if (Array.isArray(item)) item.forEach(visit);
      else if (item && typeof item === "object") {
        const row = item as Row;
        const type = abstract ? row[TYPENAME_ALIAS] : named.name;
        const own = scopeType !== undefined && type === scopeType;
        const key = own && scopeKey ? row[helperAlias(scopeType, scopeKey)] : undefined;
        const id = typeof key === "string" ? key : undefined;
        scopeOf.set(item, own ? id : scope);
        if (own && id && scopeFlag && row[helperAlias(scopeType, scopeFlag)] === true)
          collect?.onFlagged?.(id);
      }
    };
    visit(value);
  };

  // Subgraphs whose fetch failed: the gateway reports them without a path; the first field of
  // theirs that came back empty gets the error instead, so a practitioner sees which agency is
  // missing where, and that it is missing rather than withheld.
  const upstream = options.result.errors ?? [];
  const down = new Set(
    upstream
      .filter((e) => e.extensions?.code === AGENCY_UNAVAILABLE)
      .map((e) => String(e.extensions?.subgraph)),
  );
  const placed = new Set<string>();

  const fieldResolver: GraphQLFieldResolver<Row, unknown> = (source, _args, _ctx, info) => {
    const type = info.parentType.name;
    const scope = scopeOf.get(source);
    try {
      judge.check(type, info.fieldName, conditionView(type, source), scope);
    } catch (error) {
      collect?.onWithheld(type, info.fieldName, error);
      throw error;
    }
    const value = source[info.path.key as string];
    if (down.size > 0 && (value === null || value === undefined)) {
      const owner = judge.ownerOf(type, info.fieldName);
      const missing = owner.subgraphs.filter((s) => down.has(s));
      if (missing.length > 0) {
        for (const s of missing) placed.add(s);
        throw new GraphQLError(
          `${owner.title} is not answering: this part is missing, not withheld. Try again shortly.`,
          {
            extensions: { code: AGENCY_UNAVAILABLE, agency: owner.agency },
          },
        );
      }
    }
    collect?.onReleased(type, info.fieldName, scope, value);
    const shown = Array.isArray(value) ? withoutConcealed(value, info.returnType, scope) : value;
    adopt(shown, info.returnType, scope);
    return shown;
  };

  // Items a condition the requester cannot read would withhold are left out of their list, so
  // the list reads exactly as if they did not exist.
  const withoutConcealed = (
    list: unknown[],
    returnType: GraphQLOutputType,
    scope: string | undefined,
  ): unknown[] => {
    const named = getNamedType(returnType);
    if (!judge.concealment || (!isAbstractType(named) && !isObjectType(named))) return list;
    const concealment = judge.concealment.bind(judge);
    const keep = (item: unknown): boolean => {
      if (!item || typeof item !== "object" || Array.isArray(item)) return true;
      const row = item as Row;
      const type = isAbstractType(named) ? row[TYPENAME_ALIAS] : named.name;
      if (typeof type !== "string") return true;
      // The item's own person decides its purpose, as it does for its fields.
      const own =
        judge.scopeType === type && judge.scopeKey
          ? row[helperAlias(type, judge.scopeKey)]
          : undefined;
      const hidden = concealment(
        type,
        conditionView(type, row),
        typeof own === "string" ? own : scope,
      );
      // The access log still records it, for the owning agency: withheld by that rule.
      if (hidden) collect?.onWithheld(type, hidden.field, { extensions: { rule: hidden.rule } });
      return !hidden;
    };
    return list
      .map((item) => (Array.isArray(item) ? withoutConcealed(item, returnType, scope) : item))
      .filter(keep);
  };

  const root = (options.result.data ?? null) as Row | null;
  if (root === null) return options.result;
  // A list of people outside the stated purpose yields hundreds of withheld-field errors; their
  // stack traces would cost more than the rest of the request and are never shown. Execution is
  // synchronous, so the limit is restored before anything else runs.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let filtered: ExecutionResult;
  try {
    filtered = execute({
      schema: options.schema,
      document: options.document,
      operationName: options.operationName,
      variableValues: options.variables,
      rootValue: root,
      fieldResolver,
      // Interfaces and unions resolve by the concrete type the rewrite fetched for them (or the
      // client's own __typename): Apollo returns only what was selected.
      typeResolver: (value) => {
        const row = value as Row;
        const name = row[TYPENAME_ALIAS] ?? row.__typename;
        return typeof name === "string" ? name : undefined;
      },
    }) as ExecutionResult;
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  const kept = upstream.filter(
    (e) =>
      !(e.extensions?.code === AGENCY_UNAVAILABLE && placed.has(String(e.extensions?.subgraph))),
  );
  const errors: GraphQLError[] = [...kept, ...(filtered.errors ?? [])];
  return { ...filtered, ...(errors.length ? { errors } : {}) };
}
