import type { GraphQLSchema } from "graphql";
import type { FetchNarrowing, NarrowedFetch } from "../request/context.ts";
import type { Judge } from "./judge.ts";
import { narrowedSelection } from "./narrow-selection.ts";

/**
 * Data minimisation at the fetch: a person outside the request's purpose (no open enquiry of the
 * requester's agency links them) can be shown only what the rules needing no enquiry allow, so
 * an agency is not asked for the rest. The query planner plans one entity fetch for every person
 * of a list; here that fetch is split: the people the purpose covers get it as planned, the
 * others get it without each field no rule could show them (their `inside` or `outside` is the
 * judge's own `inEnquiry`, the test the result pass applies to the same person).
 *
 * The answer cannot change: a field left out is one the pass withholds whatever its value, and
 * it never opens a withheld field, so a value it never had reads as one it had and refused.
 * What is left out, and what never is, is narrow-selection.ts's. Anything unexpected (a
 * fragment spread, an entity fetch for another type, a text that does not parse) leaves the
 * fetch as planned.
 */

/** What one planned entity fetch becomes for people outside the purpose (null: as planned). */
type Narrowed = { asked: NarrowedFetch["asked"] };

export { OUTSIDE } from "./narrow-selection.ts";

/** For tests: a switch to send every fetch as planned (differential tests). */
export const narrowedFetches = { enabled: true };

// Each plan's fetches, narrowed once per judge (a plan belongs to one authorization context
// already: its document is re-keyed per context), kept while Apollo keeps the plan (its cache
// is bounded: server/bounded-store.ts).
const byPlan = new WeakMap<object, Map<string, Narrowed | null>>();

/** The narrowing for one request's fetches; undefined when the policy has no person type. */
export function fetchNarrowing(schema: GraphQLSchema, judge: Judge): FetchNarrowing | undefined {
  const { scopeType, scopeKey } = judge;
  if (!scopeType || !scopeKey) return undefined;
  // Told by the plan guard, before any fetch: without the plan's inputs nothing is narrowed.
  let plan: { inputs: ReadonlySet<string>; narrowed: Map<string, Narrowed | null> } | undefined;
  return {
    planned(queryPlan, inputs) {
      let narrowed = byPlan.get(queryPlan);
      if (!narrowed) {
        narrowed = new Map();
        byPlan.set(queryPlan, narrowed);
      }
      plan = { inputs, narrowed };
    },
    split(query, representations) {
      if (!narrowedFetches.enabled || !plan) return undefined;
      const inside: number[] = [];
      const outside: number[] = [];
      for (let i = 0; i < representations.length; i++) {
        const rep = representations[i] as Record<string, unknown> | null;
        const id = rep && rep.__typename === scopeType ? rep[scopeKey] : undefined;
        // A representation without the person's key is given everything planned: it is never
        // less than the pass may show.
        if (typeof id === "string" && !judge.inEnquiry(id)) outside.push(i);
        else inside.push(i);
      }
      if (outside.length === 0) return undefined;
      const key = `${judge.key}\n${query}`;
      let value = plan.narrowed.get(key);
      if (value === undefined) {
        value = narrowedSelection(schema, judge, scopeType, query, plan.inputs);
        plan.narrowed.set(key, value);
      }
      if (!value) return undefined;
      return { inside, outside, asked: value.asked };
    },
  };
}
