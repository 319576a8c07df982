import { expect } from "vitest";
import type { Conformance, GraphQLResponse } from "./harness.ts";

// What "withheld exactly" means for a restrictive case: ours is bare's answer with exactly the
// withheld fields set to null, and one error per withheld field at its path carrying the
// contract's extensions: code, the deciding rule, a reason and the owning agency.

export type Path = (string | number)[];

export interface Withheld {
  path: Path;
  rule: string;
  owner: string;
  /** The rule's own reason, when a deny rule decided; default deny writes its own. */
  reason?: string;
  /**
   * The owner's contact point (roles.yaml's); policies:init writes none, so a foreign graph's
   * errors carry no `contact` key unless its case adds one.
   */
  contact?: { agency: string; name: string; phone?: string; email?: string };
}

function setNull(data: unknown, path: Path) {
  let node = data as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1] as string | number] = null;
}

export function expectWithheld(ours: GraphQLResponse, bare: GraphQLResponse, withheld: Withheld[]) {
  expect(bare.errors, "bare gateway answered with errors").toBeUndefined();
  expect(withheld.length, "the case must withhold something").toBeGreaterThan(0);
  const expected = structuredClone(bare.data);
  for (const w of withheld) setNull(expected, w.path);
  expect(ours.data).toEqual(expected);
  // Helper fields (condition fields, __typename) the client did not ask for never show.
  expect(JSON.stringify(ours.data)).toBe(JSON.stringify(expected));

  const errors = ours.errors ?? [];
  const key = (path: Path | undefined) => JSON.stringify(path);
  expect(errors.map((e) => key(e.path)).sort()).toEqual(withheld.map((w) => key(w.path)).sort());
  for (const w of withheld) {
    const error = errors.find((e) => key(e.path) === key(w.path));
    expect(error?.extensions, `the error at ${key(w.path)}`).toMatchObject({
      code: "UNAUTHORIZED_FIELD_OR_TYPE",
      rule: w.rule,
      owner: w.owner,
      reason: w.reason ?? expect.stringMatching(/\S/),
    });
    if (w.contact) expect(error?.extensions?.contact).toEqual(w.contact);
    else
      expect(error?.extensions ?? {}, `the error at ${key(w.path)}`).not.toHaveProperty("contact");
  }
}

/** Paths, under a list field of the root, of the items a bare query says match. */
export async function itemsWhere(
  run: Conformance,
  query: string,
  list: string,
  match: (item: Record<string, unknown>) => boolean,
): Promise<number[]> {
  const { data } = await run.bare({ query });
  const items = (data?.[list] ?? []) as Record<string, unknown>[];
  return items.flatMap((item, i) => (match(item) ? [i] : []));
}

/** Our gateway's log since the last call, for a failure's message. */
export const logOf = (run: Conformance) => {
  const log = run.takeLog();
  return log ? `our gateway logged:\n${log}` : "";
};

/**
 * Runs the query through bare and ours and checks ours is bare's answer with exactly `withheld`
 * set to null (worked out from bare's answer when a function); returns ours.
 */
export async function answersWithheld(
  run: Conformance,
  query: string,
  withheld: Withheld[] | ((bare: GraphQLResponse) => Withheld[]),
): Promise<GraphQLResponse> {
  const bare = await run.bare({ query });
  const ours = await run.ours({ query });
  expect(ours.data, logOf(run)).toBeTruthy();
  expectWithheld(ours, bare, typeof withheld === "function" ? withheld(bare) : withheld);
  return ours;
}
