import {
  type ExecutionResult,
  type GraphQLError,
  type GraphQLLeafType,
  type GraphQLObjectType,
  getArgumentValues,
} from "graphql";
import { coerceVariables } from "./coerce-variables.ts";
import {
  acceptsRuntimeType,
  type CompiledOperation,
  childPlan,
  type FieldPlan,
  fixedVerdict,
  type ObjectPlan,
  type Row,
  type Shape,
  shapeFor,
  type Wrap,
} from "./filter-plan.ts";
import type { Judge } from "./judge.ts";
import { located } from "./located-error.ts";
import { nonNullVariables } from "./object-plan.ts";
import { helpersValid, objectValid, runtimeTypeOf, subtreeValid, validLeaf } from "./raw-checks.ts";
import type { AuditCollector } from "./release-collector.ts";
import { helperAlias, TYPENAME_ALIAS } from "./rewrite.ts";

// Longer than most because it is one walk: the answer, its errors and the access-log facts are
// built in a single pass over the fetched data (issue 14), and its parts share the walk's state.

/** Thrown inside the pass when graphql-js would do something it does not: re-execute instead. */
const UNSUPPORTED = new Error("left to graphql-js");

/**
 * The result filter for one request through its compiled operation: the same answer, errors,
 * order and access-log facts as filterResult's re-execution (filter.ts), without graphql-js's
 * execute, a resolver call per field or an Error per withheld field. Anything that pass would
 * answer with an error of graphql-js's own (a null in a non-null field, a value its scalar
 * refuses, an abstract type it cannot resolve, variables that do not coerce), and any surprise
 * at all, gives undefined: the caller then runs filterResult, with a fresh collector.
 */
export function runCompiledPass(options: {
  compiled: CompiledOperation;
  variables: Record<string, unknown> | undefined;
  data: Row;
  judge: Judge;
  collect: AuditCollector;
  /**
   * The data is the merged fetches as Apollo left them unshaped (raw-results.ts): extra fields
   * are ignored, and anything Apollo's shaping would have changed gives undefined (raw-checks.ts).
   */
  raw?: boolean;
}): ExecutionResult | undefined {
  const { compiled, judge } = options;
  try {
    const definitions = compiled.operation.variableDefinitions ?? [];
    let variables: Record<string, unknown> = {};
    if (definitions.length > 0) {
      const coerced = coerceVariables(compiled.schema, definitions, options.variables ?? {});
      if (!coerced) return undefined;
      variables = coerced;
      // Arguments that are such variables are not coerced again (object-plan.ts): a scalar whose
      // parseValue gives null could still leave one null, which graphql-js would then refuse.
      for (const name of nonNullVariables(compiled.operation))
        if (variables[name] === null || variables[name] === undefined) return undefined;
    }
    const shape = shapeFor(compiled, variables, judge);
    const pass = new Pass(compiled, shape, judge, options.collect, variables, options.raw === true);
    let data: Row | null;
    try {
      data = pass.object(shape.root, options.data, undefined);
    } catch (error) {
      // A withheld non-null root field nulls the whole answer, as graphql-js's execute does.
      if (!(error instanceof Propagated)) throw error;
      pass.errors.push(error.error);
      data = null;
    }
    return pass.errors.length > 0 ? { errors: pass.errors, data } : { data };
  } catch {
    return undefined;
  }
}

/** A withheld field that may not be null: graphql-js nulls the nearest nullable place above. */
class Propagated {
  constructor(readonly error: GraphQLError) {}
}

class Pass {
  readonly errors: GraphQLError[] = [];
  private readonly path: (string | number)[] = [];
  private readonly scopeType: string | undefined;
  private readonly keyAlias: string | undefined;
  private readonly flagAlias: string | undefined;
  /** Condition views concealment built for list items, for their own fields to reuse. */
  private readonly views = new Map<Row, Row>();

  constructor(
    readonly compiled: CompiledOperation,
    readonly shape: Shape,
    readonly judge: Judge,
    private readonly collect: AuditCollector,
    private readonly variables: Record<string, unknown>,
    private readonly raw: boolean,
  ) {
    const { scopeType, scopeKey, scopeFlag } = judge;
    this.scopeType = scopeType;
    this.keyAlias = scopeType && scopeKey ? helperAlias(scopeType, scopeKey) : undefined;
    this.flagAlias = scopeType && scopeFlag ? helperAlias(scopeType, scopeFlag) : undefined;
  }

  /** The fields conditions read on an object of `type`, by their names (what CASL is shown). */
  private view(type: string, row: Row): Row {
    const view: Row = {};
    for (const [field, alias] of this.judge.memo.viewFields(type)) view[field] = row[alias];
    return view;
  }

  /** executeFields, with filter.ts's resolver folded in. */
  object(plan: ObjectPlan, source: Row, scope: string | undefined): Row {
    const { judge, collect, path } = this;
    const type = plan.type.name;
    const inEnquiry = judge.inEnquiry(scope);
    // Built when a field whose type conditions read is first judged; CASL tags it with the type.
    let view = this.views.get(source);
    const memoKey = plan.conditional ? judge.memo.keyOf(type, inEnquiry, source) : undefined;
    const memo = memoKey === undefined ? undefined : judge.memo.verdicts(memoKey);
    if (this.raw && !helpersValid(this, plan, source)) throw UNSUPPORTED;
    const out: Row = {};
    for (const field of plan.fields) {
      const key = field.responseKey;
      if (field.typename) {
        out[key] = type;
        continue;
      }
      // graphql-js coerces a field's arguments before resolving it; from variables that can fail.
      if (field.variableArguments)
        getArgumentValues(field.variableArguments, field.nodes[0] as never, this.variables);
      let error: GraphQLError | null | undefined;
      if (field.fixed) error = fixedVerdict(plan, field, inEnquiry, judge);
      else {
        error = memo?.get(field.fieldName);
        if (error === undefined) {
          view ??= this.view(type, source);
          error = judge.verdict(type, field.fieldName, view, inEnquiry) ?? null;
          memo?.set(field.fieldName, error);
        }
      }
      path.push(key);
      if (error) {
        if (this.raw && !subtreeValid(this, field, field.wrap, source[key])) throw UNSUPPORTED;
        const rule = error.extensions.rule;
        collect.withheldAt(field.slot, typeof rule === "string" ? rule : "error");
        const shown = located(error, field, path.slice());
        path.pop();
        if (field.wrap.nonNull) throw new Propagated(shown);
        this.errors.push(shown);
        out[key] = null;
        continue;
      }
      const value = source[key];
      collect.releasedAt(field.slot, scope, value);
      if (!field.composite) out[key] = this.complete(field, field.wrap, value, scope);
      else {
        // The filter's resolver: conceal list items, then adopt every object, then complete.
        const shown = Array.isArray(value) ? this.withoutConcealed(field, value, scope) : value;
        this.adopt(field, shown);
        const depth = path.length;
        try {
          out[key] = this.complete(field, field.wrap, shown, scope);
        } catch (thrown) {
          path.length = depth - 1;
          if (!(thrown instanceof Propagated) || field.wrap.nonNull) throw thrown;
          this.errors.push(thrown.error);
          out[key] = null;
          continue;
        }
      }
      path.pop();
    }
    return out;
  }

  /**
   * completeValue; `value` is as the filter's resolver left it (concealed items gone). Without
   * errors, a null can only come from a null value, so a non-null level checks the value.
   */
  private complete(field: FieldPlan, wrap: Wrap, value: unknown, scope: string | undefined) {
    if (value === null || value === undefined) {
      if (wrap.nonNull) throw UNSUPPORTED;
      return null;
    }
    const item = wrap.item;
    if (item) {
      if (!Array.isArray(value)) throw UNSUPPORTED;
      const { path } = this;
      const out: unknown[] = [];
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        const depth = path.length;
        try {
          out.push(this.complete(field, item, value[i], scope));
        } catch (thrown) {
          if (!(thrown instanceof Propagated) || item.nonNull) {
            path.length = depth - 1;
            throw thrown;
          }
          path.length = depth;
          this.errors.push(thrown.error);
          out.push(null);
        }
        path.pop();
      }
      return out;
    }
    if (!field.composite) {
      if (this.raw && !validLeaf(field.named, value)) throw UNSUPPORTED;
      const serialized = (field.named as GraphQLLeafType).serialize(value);
      if (serialized === null || serialized === undefined) throw UNSUPPORTED;
      return serialized;
    }
    return this.composite(field, value, scope);
  }

  /**
   * filter.ts's withoutConcealed: an item a condition the requester cannot read would withhold
   * is left out, as if it did not exist (and recorded for its owner). The list is copied only
   * when something is left out.
   */
  private withoutConcealed(field: FieldPlan, items: unknown[], scope: string | undefined) {
    const { judge } = this;
    let kept: unknown[] | undefined;
    for (let i = 0; i < items.length; i++) {
      let item = items[i];
      let hidden = false;
      if (Array.isArray(item)) {
        const inner = this.withoutConcealed(field, item, scope);
        if (inner !== item) {
          kept ??= items.slice(0, i);
          item = inner;
        }
      } else if (item && typeof item === "object") {
        const row = item as Row;
        const type = field.abstract ? row[TYPENAME_ALIAS] : field.named.name;
        if (typeof type === "string") {
          // The item's own person decides its purpose, as it does for its fields.
          const own = this.scopeType === type && this.keyAlias ? row[this.keyAlias] : undefined;
          const inEnquiry = judge.inEnquiry(typeof own === "string" ? own : scope);
          if (judge.mayConceal(type, inEnquiry)) {
            const concealed = this.concealment(type, row, inEnquiry);
            if (concealed) {
              if (this.raw && !objectValid(this, field, row)) throw UNSUPPORTED;
              this.collect.onWithheld(type, concealed.field, {
                extensions: { rule: concealed.rule },
              });
              hidden = true;
            }
          }
        }
      }
      if (hidden) kept ??= items.slice(0, i);
      else kept?.push(item);
    }
    return kept ?? items;
  }

  /** Whether a condition the requester cannot read hides the item; once per condition values. */
  private concealment(type: string, row: Row, inEnquiry: boolean) {
    const { memo } = this.judge;
    const key = memo.keyOf(type, inEnquiry, row);
    let hidden = key === undefined ? undefined : memo.concealment(key);
    if (hidden === undefined) {
      const view = this.view(type, row);
      hidden = this.judge.concealmentIn(type, view, inEnquiry) ?? null;
      this.views.set(row, view);
      if (key !== undefined) memo.rememberConcealment(key, hidden);
    }
    return hidden;
  }

  /** filter.ts's adopt: every person reached whose flag is set is noted, before completion. */
  private adopt(field: FieldPlan, value: unknown) {
    if (Array.isArray(value)) {
      for (const item of value) this.adopt(field, item);
      return;
    }
    if (!value || typeof value !== "object" || !this.flagAlias) return;
    const row = value as Row;
    const type = field.abstract ? row[TYPENAME_ALIAS] : field.named.name;
    if (type !== this.scopeType || !this.keyAlias) return;
    const id = row[this.keyAlias];
    if (typeof id === "string" && id && row[this.flagAlias] === true) this.collect.onFlagged?.(id);
  }

  /** An object or abstract value: its concrete type, the person it hangs under, its fields. */
  private composite(field: FieldPlan, value: unknown, scope: string | undefined) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw UNSUPPORTED;
    const row = value as Row;
    let runtime: GraphQLObjectType | undefined;
    if (this.raw) runtime = runtimeTypeOf(this.compiled, field, row);
    else if (field.abstract)
      runtime = acceptsRuntimeType(this.compiled, field, row[TYPENAME_ALIAS] ?? row.__typename);
    else runtime = field.named as GraphQLObjectType;
    if (!runtime) throw UNSUPPORTED;
    // The nearest person decides the purpose: adopt's scope (a person without a key has none).
    const adopted = field.abstract ? row[TYPENAME_ALIAS] : field.named.name;
    let inner = scope;
    if (this.scopeType !== undefined && adopted === this.scopeType) {
      const key = this.keyAlias ? row[this.keyAlias] : undefined;
      inner = typeof key === "string" ? key : undefined;
    }
    // A view concealment built was read under the adopted type name: reused only for that type.
    if (adopted !== runtime.name) this.views.delete(row);
    const plan = childPlan(this.compiled, this.shape, field, runtime, this.judge);
    return this.object(plan, row, inner);
  }
}
