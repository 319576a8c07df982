import type { Kysely } from "kysely";
import {
  fromRow,
  type PolicyStatus,
  type PolicyTables,
  type PolicyVersion,
} from "./policy-store-schema.ts";

export interface PolicyReads {
  get(id: string): Promise<PolicyVersion | undefined>;
  /** The agency's versions, newest first; discarded drafts only when asked for. */
  list(
    agency: string,
    first?: number,
    options?: { includeDiscarded?: boolean },
  ): Promise<PolicyVersion[]>;
  /**
   * What awaits an officer of the agency: proposals not yet decided, and emergency narrowings
   * not yet reviewed, newest first (the caller leaves out the officer's own).
   */
  awaitingReview(agency: string): Promise<PolicyVersion[]>;
  /** The agency's version in force, if one was ever published. */
  publishedVersion(agency: string): Promise<PolicyVersion | undefined>;
  /** The text in force per agency, for agencies that have published a version. */
  published(): Promise<Map<string, string>>;
  /** Every agency's versions in these states, oldest first. */
  withStatus(statuses: readonly PolicyStatus[]): Promise<PolicyVersion[]>;
}

/** The queries every store and transaction answers, over `db` (the store or a transaction). */
export function policyReads(db: Kysely<PolicyTables>): PolicyReads {
  const versions = () => db.selectFrom("policy_versions").selectAll();
  return {
    async get(id) {
      const row = await versions().where("id", "=", id).executeTakeFirst();
      return row && fromRow(row);
    },
    async list(agency, first = 50, options = {}) {
      let query = versions().where("agency", "=", agency);
      if (!options.includeDiscarded) query = query.where("status", "!=", "DISCARDED");
      const rows = await query.orderBy("number", "desc").limit(first).execute();
      return rows.map(fromRow);
    },
    async awaitingReview(agency) {
      const rows = await versions()
        .where("agency", "=", agency)
        .where((eb) =>
          eb.or([
            eb("status", "=", "PROPOSED"),
            eb.and([
              eb("emergency_reason", "is not", null),
              eb("emergency_reviewed_by", "is", null),
            ]),
          ]),
        )
        .orderBy("number", "desc")
        .execute();
      return rows.map(fromRow);
    },
    async publishedVersion(agency) {
      const row = await versions()
        .where("agency", "=", agency)
        .where("status", "=", "PUBLISHED")
        .executeTakeFirst();
      return row && fromRow(row);
    },
    async published() {
      const rows = await db
        .selectFrom("policy_versions")
        .select(["agency", "text"])
        .where("status", "=", "PUBLISHED")
        .execute();
      return new Map(rows.map((r) => [r.agency, r.text]));
    },
    async withStatus(statuses) {
      if (statuses.length === 0) return [];
      const rows = await versions()
        .where("status", "in", [...statuses])
        .orderBy("agency")
        .orderBy("number")
        .execute();
      return rows.map(fromRow);
    },
  };
}
