import type { GatewayGraphQLResponse } from "@apollo/server-gateway-interface";
import { OUTSIDE } from "../authz/narrow-fetch.ts";
import type { NarrowedFetch } from "../request/context.ts";

type Variables = Record<string, unknown> | undefined;

/**
 * Sends a planned entity fetch split by purpose (authz/narrow-fetch.ts) and answers as the
 * planned fetch would have: one request with both entity fields, the narrowed one alone when no
 * one is inside, the planned one alone when nothing is asked of those outside, or none at all.
 */
export async function sendNarrowed(
  split: NarrowedFetch,
  planned: { query: string; variables: Variables; representations: readonly unknown[] },
  post: (query: string, variables: Variables) => Promise<GatewayGraphQLResponse>,
): Promise<GatewayGraphQLResponse> {
  const { inside, outside, asked } = split;
  const { query, representations } = planned;
  const of = (positions: readonly number[]) => positions.map((i) => representations[i]);
  const count = representations.length;
  const only = (positions: readonly number[]) => [{ key: "_entities", positions }];
  if (!asked) {
    if (inside.length === 0) return joinedAnswer<GatewayGraphQLResponse>(count, undefined, []);
    const variables = { ...planned.variables, representations: of(inside) };
    return joinedAnswer(count, await post(query, variables), only(inside));
  }
  if (inside.length === 0) {
    const variables: Record<string, unknown> = { ...planned.variables };
    for (const name of asked.unused) delete variables[name];
    variables.representations = of(outside);
    return joinedAnswer(count, await post(asked.alone, variables), only(outside));
  }
  const variables = {
    ...planned.variables,
    representations: of(inside),
    [OUTSIDE]: of(outside),
  };
  return joinedAnswer(count, await post(asked.both, variables), [
    { key: "_entities", positions: inside },
    { key: OUTSIDE, positions: outside },
  ]);
}

type Answer = {
  data?: Record<string, unknown> | null;
  errors?: readonly { path?: readonly (string | number)[] }[];
};

/**
 * The planned fetch's answer, from the answer to what was sent (none when nothing was): each
 * part's entities (at its key: `_entities`, or OUTSIDE) in their planned places, null for those
 * never asked, and each error under a part's key moved under `_entities` at its planned place
 * (or at `_entities` itself where it names no entity of the part), so Apollo merges and locates
 * as if the planned fetch had been made. An answer out of shape is refused, as the agency not
 * answering (Apollo would refuse it too, but could show an error's path under OUTSIDE).
 */
export function joinedAnswer<A extends Answer>(
  count: number,
  answer: A | undefined,
  parts: readonly { key: string; positions: readonly number[] }[],
): A {
  const entities: unknown[] = new Array(count).fill(null);
  if (!answer) return { data: { _entities: entities } } as unknown as A;
  const byKey = new Map(parts.map((p) => [p.key, p.positions]));
  const errors = answer.errors?.map((error) => {
    const path = error.path;
    const positions = typeof path?.[0] === "string" ? byKey.get(path[0]) : undefined;
    if (!path || !positions) return error;
    const at = path[1];
    const planned = typeof at === "number" ? positions[at] : undefined;
    return {
      ...error,
      path: planned === undefined ? ["_entities"] : ["_entities", planned, ...path.slice(2)],
    };
  });
  const data = answer.data;
  if (data !== null && data !== undefined) {
    for (const { key, positions } of parts) {
      const got = data[key];
      if (!Array.isArray(got) || got.length !== positions.length)
        throw new Error(`The entity fetch's answer has no list of ${positions.length} at ${key}`);
      for (let i = 0; i < got.length; i++) entities[positions[i] as number] = got[i];
    }
  }
  return {
    ...answer,
    data: data === null || data === undefined ? data : { _entities: entities },
    ...(errors ? { errors } : {}),
  };
}
