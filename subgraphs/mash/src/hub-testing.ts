import type { CallerContext, Store } from "@mash/kit";
import { GraphQLError } from "graphql";
import { sql } from "kysely";
import { expect } from "vitest";
import type { RecordContactInput } from "./contacts.ts";
import type { MashSettings, Rag } from "./settings.ts";
import { type MashDB, tables } from "./store.ts";

/** What the hub's suites share: callers, clock-hour settings, a contact that passes every check, refusals. */

export const patel: CallerContext = {
  sub: "sw.patel",
  roles: ["social_worker"],
  agency: "childrens-services",
  rid: "r1",
};
export const okafor: CallerContext = { ...patel, sub: "mgr.okafor", roles: ["mash_manager"] };
export const jones: CallerContext = {
  sub: "pc.jones",
  roles: ["police_mash_officer"],
  agency: "police",
  rid: "r2",
};

/** A Date from ISO text: the `now` a hub function is called with. */
export const at = (iso: string) => new Date(iso);

const hours: Record<Rag, number> = { RED: 4, AMBER: 24, GREEN: 72 };
/** Clock hours, so due times are plain sums; the working calendar has its own tests. */
export const clockSettings: MashSettings = {
  ragHours: hours,
  timescales: { due: (from, rag) => new Date(from.getTime() + hours[rag] * 3600_000) },
  minReasonLength: 15,
};

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

/**
 * Every row of every hub table but the search keys (derived from subjects), each table's rows in
 * a fixed order: what a refusal must leave exactly as it was.
 */
export async function hubSnapshot(store: Store<MashDB>): Promise<Record<string, string[]>> {
  const snapshot: Record<string, string[]> = {};
  for (const table of tables) {
    if (table === "search_keys") continue;
    const { rows } = await sql`select * from ${sql.table(table)}`.execute(store.db);
    snapshot[table] = rows.map((row) => JSON.stringify(row)).sort();
  }
  return snapshot;
}
