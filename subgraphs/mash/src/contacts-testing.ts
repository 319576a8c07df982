import type { CallerContext, Store } from "@mash/kit";
import { GraphQLError } from "graphql";
import { expect } from "vitest";
import type { RecordContactInput } from "./contacts.ts";
import type { MashDB } from "./store.ts";

/** What the contacts suites share: callers, a contact that passes every check, refusals. */

export const patel: CallerContext = {
  sub: "sw.patel",
  roles: ["social_worker"],
  agency: "childrens-services",
  rid: "r1",
};
export const okafor: CallerContext = { ...patel, sub: "mgr.okafor", roles: ["mash_manager"] };

export const school = {
  kind: "AGENCY",
  agency: "Moorside Primary",
  name: "Ms Reed",
  role: "teacher",
};

/** A contact that passes every check; each test changes what it is about. */
export const contact = (over: Partial<RecordContactInput> = {}): RecordContactInput => ({
  referrer: school,
  concern: "Child arrived hungry with bruising",
  consentSought: false,
  consentReason: "Seeking consent could put the child at risk",
  subjectIds: ["S-1001"],
  ...over,
});

/** The refusal a promise ends in, checked to be BAD_USER_INPUT. */
export async function badInput(promise: Promise<unknown>): Promise<GraphQLError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GraphQLError);
  expect((error as GraphQLError).extensions.code).toBe("BAD_USER_INPUT");
  return error as GraphQLError;
}

/**
 * The seeded synthetic people (not the golden S-10xx), in id order: tests take a few each, so
 * that no other test's contacts change their counts.
 */
export async function syntheticPeople(store: Store<MashDB>): Promise<string[]> {
  const rows = await store.db
    .selectFrom("subjects")
    .where("id", "not like", "S-10__")
    .select("id")
    .orderBy("id")
    .execute();
  return rows.map((r) => r.id);
}
