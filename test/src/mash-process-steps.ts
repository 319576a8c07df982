import { expect } from "vitest";
import { EXAMPLES, returnedBy } from "../../gateway/web/console/examples.ts";
import { projectOperation } from "./contract.ts";
import type { GraphQLBody, TestSystem } from "./system.ts";

export type Row = Record<string, unknown>;
export const FRONT_DOORS = "social_worker, mash_manager and adult_social_worker";
export const SUBJECT = "S-1004";
const READ_ADDRESS = "query($id: ID!) { subject(id: $id) { address { postcode } } }";

/** An example's variables, with each earlier step's id where the example stands for it. */
function variablesOf(name: string, ids: Record<string, string>): Row {
  let text = JSON.stringify(EXAMPLES[name]?.variables ?? {});
  for (const [step, id] of Object.entries(ids)) text = text.split(returnedBy(step)).join(id);
  expect(text, `${name} still needs an earlier step's id`).not.toMatch(/<id returned by/);
  return JSON.parse(text) as Row;
}

/** The withheld-field error for a mutation a role may not call, naming who may. */
export function refused(body: GraphQLBody<unknown>, field: string, roles: string) {
  expect(body.data ?? null).toBeNull();
  expect(body.errors?.[0]?.path).toEqual([field]);
  expect(body.errors?.[0]?.extensions).toMatchObject({
    code: "UNAUTHORIZED_FIELD_OR_TYPE",
    rule: "default-deny",
    owner: "mash",
    reason: `The sharing agreement gives Mutation.${field} only to ${roles}.`,
  });
}

/**
 * Runs the console's operations (gateway/operations) with their examples, each earlier step's
 * id filled in from `ids` (keyed by the operation that returned it).
 */
export function processSteps(system: () => TestSystem, ids: Record<string, string>) {
  const run = async <T = Row>(name: string, as: string, variables?: Row) => {
    const { status, body } = await system().query<T>(
      projectOperation(name),
      variables ?? variablesOf(name, ids),
      { as },
    );
    expect(status).toBe(200);
    return body;
  };
  return {
    run,
    /** Runs a step (as its example's user unless told) and expects no error at all. */
    async step<T = Row>(name: string, variables?: Row, as?: string): Promise<T> {
      const body = await run<Record<string, T>>(name, as ?? EXAMPLES[name]?.as ?? "", variables);
      expect(body.errors, name).toBeUndefined();
      return Object.values(body.data ?? {})[0] as T;
    },
    async enquiryIds() {
      const { body } = await system().query<{ enquiries: { id: string }[] }>(
        "{ enquiries(first: 500) { id } }",
        {},
        { as: "mgr.okafor" },
      );
      return body.data?.enquiries.map((e) => e.id);
    },
    /** Whether `as`, stating the walk's enquiry, reads the person's address (an in-enquiry field). */
    async readsAddress(as: string) {
      const { body } = await system().query<{ subject: { address: unknown } | null }>(
        READ_ADDRESS,
        { id: SUBJECT },
        { as, enquiry: ids.OpenEnquiryFromContact },
      );
      return body.data?.subject?.address != null;
    },
  };
}
