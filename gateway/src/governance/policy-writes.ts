import type { StoreConfig } from "@mash/kit";
import { sql, type Transaction } from "kysely";
import { POLICY_CHANNEL } from "./policy-channels.ts";
import { type PolicyReads, policyReads } from "./policy-reads.ts";
import {
  columnOf,
  fromRow,
  type PolicyStatus,
  type PolicyTables,
  type PolicyVersion,
  type VersionRow,
} from "./policy-store-schema.ts";

export type NewVersion = Pick<PolicyVersion, "agency" | "text" | "author"> &
  Partial<Omit<PolicyVersion, "id" | "agency" | "number" | "text" | "author" | "createdAt">>;

/** Writes, only inside a transaction: a step commits all of them or none. */
export interface PolicyWrites extends PolicyReads {
  insert(version: NewVersion): Promise<PolicyVersion>;
  /**
   * Moves a version on from `from`; fails with a BadStateError when it is no longer there
   * (another officer acted first), so two steps never both succeed on one version.
   */
  update(id: string, from: PolicyStatus, patch: Partial<PolicyVersion>): Promise<PolicyVersion>;
  /**
   * Marks an emergency narrowing reviewed, once: undefined when it is not one, or another
   * officer reviewed it first.
   */
  markReviewed(
    id: string,
    review: { by: string; at: string; comment: string },
  ): Promise<PolicyVersion | undefined>;
  /** Records a publication: bumps the change marker and, on PostgreSQL, notifies every gateway. */
  announce(agency: string, versionId: string): Promise<void>;
}

/** A step that found its version moved on: another officer acted first. */
export class StaleVersionError extends Error {
  constructor(
    readonly versionId: string,
    readonly expected: PolicyStatus,
  ) {
    super(`version ${versionId} is no longer ${expected}; another officer acted on it first`);
    this.name = "StaleVersionError";
  }
}

const now = () => new Date().toISOString();

/** The reads and writes of one transaction; `config` says whether to notify (PostgreSQL). */
export function policyWrites(tx: Transaction<PolicyTables>, config: StoreConfig): PolicyWrites {
  const base = policyReads(tx);
  return {
    ...base,
    async insert(version) {
      const last = await tx
        .selectFrom("policy_versions")
        .select((eb) => eb.fn.max("number").as("n"))
        .where("agency", "=", version.agency)
        .executeTakeFirst();
      const number = Number(last?.n ?? 0) + 1;
      const row: VersionRow = {
        id: `${version.agency}-v${number}`,
        agency: version.agency,
        number,
        status: version.status ?? "DRAFT",
        text: version.text,
        note: null,
        reason: null,
        author: version.author,
        created_at: now(),
        proposed_at: null,
        approved_by: null,
        approved_at: null,
        review_comment: null,
        rejected_by: null,
        rejected_at: null,
        published_by: null,
        published_at: null,
        restored_from: null,
        discarded_at: null,
        approved_against: null,
        emergency_reason: null,
        emergency_reviewed_by: null,
        emergency_reviewed_at: null,
        emergency_review_comment: null,
      };
      for (const [key, value] of Object.entries(version)) {
        const column = columnOf[key as keyof PolicyVersion];
        if (column && value !== undefined)
          (row as unknown as Record<string, unknown>)[column] = value;
      }
      await tx.insertInto("policy_versions").values(row).execute();
      return fromRow(row);
    },
    async update(id, from, patch) {
      const set: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(patch)) {
        const column = columnOf[key as keyof PolicyVersion];
        if (column && column !== "id" && value !== undefined) set[column] = value;
      }
      const result = await tx
        .updateTable("policy_versions")
        .set(set as Partial<VersionRow>)
        .where("id", "=", id)
        .where("status", "=", from)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) throw new StaleVersionError(id, from);
      const updated = await base.get(id);
      if (!updated) throw new StaleVersionError(id, from);
      return updated;
    },
    async markReviewed(id, review) {
      const result = await tx
        .updateTable("policy_versions")
        .set({
          emergency_reviewed_by: review.by,
          emergency_reviewed_at: review.at,
          emergency_review_comment: review.comment,
        })
        .where("id", "=", id)
        .where("emergency_reason", "is not", null)
        .where("emergency_reviewed_by", "is", null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1 ? base.get(id) : undefined;
    },
    async announce(agency, versionId) {
      const last = await tx
        .selectFrom("policy_publications")
        .select((eb) => eb.fn.max("seq").as("s"))
        .executeTakeFirst();
      await tx
        .insertInto("policy_publications")
        .values({ seq: Number(last?.s ?? 0) + 1, agency, version_id: versionId, at: now() })
        .execute();
      // Delivered on commit only, so no gateway loads a publication that was rolled back.
      if (config.kind === "postgres")
        await sql`select pg_notify(${POLICY_CHANNEL}, ${config.schema})`.execute(tx);
    },
  };
}
