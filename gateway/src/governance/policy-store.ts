import { openStore, type Store, type StoreConfig } from "@mash/kit";
import { type Kysely, sql, type Transaction } from "kysely";
import {
  columnOf,
  fromRow,
  migrations,
  type PolicyStatus,
  type PolicyTables,
  type PolicyVersion,
  type VersionRow,
} from "./policy-store-schema.ts";

export {
  POLICY_STATUSES,
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

export interface PolicyStore extends PolicyReads {
  readonly config: StoreConfig;
  readonly store: Store<PolicyTables>;
  transaction<T>(fn: (tx: PolicyWrites) => Promise<T>): Promise<T>;
  /** Changes whenever any agency publishes: cheap to poll. */
  marker(): Promise<number>;
  /**
   * Tells every gateway on this store that an enquiry's purpose may have changed (a mutation was
   * answered): bumps the purpose marker and, on PostgreSQL, notifies at once.
   */
  announcePurposeChange(): Promise<void>;
  /** Changes whenever any gateway announces a purpose change. */
  purposeMarker(): Promise<number>;
  close(): Promise<void>;
}

/** The NOTIFY channel; the payload is the PostgreSQL schema, so stores on other schemas ignore it. */
export const POLICY_CHANNEL = "mash_policy_published";
/** The NOTIFY channel for purpose changes, likewise. */
export const PURPOSE_CHANNEL = "mash_purpose_changed";

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

function reads(db: Kysely<PolicyTables>): PolicyReads {
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

function writes(tx: Transaction<PolicyTables>, config: StoreConfig): PolicyWrites {
  const base = reads(tx);
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

const retryable = (error: unknown) => {
  const code = (error as { code?: string }).code;
  return code === "23505" || code === "40001" || code === "SQLITE_BUSY";
};

/** The policy versions of every agency, on SQLite (a file) or PostgreSQL (a schema). */
export async function openPolicyStore(config: StoreConfig): Promise<PolicyStore> {
  const store = await openStore<PolicyTables>({ agency: "policy", config, migrations });
  const { db } = store;
  return {
    config,
    store,
    ...reads(db),
    async transaction(fn) {
      // Two officers saving at once can race for the next version number: try again.
      for (let attempt = 1; ; attempt++) {
        try {
          return await db.transaction().execute((tx) => fn(writes(tx, config)));
        } catch (error) {
          if (attempt >= 5 || !retryable(error) || error instanceof StaleVersionError) throw error;
        }
      }
    },
    async marker() {
      const row = await db
        .selectFrom("policy_publications")
        .select((eb) => eb.fn.max("seq").as("s"))
        .executeTakeFirst();
      return Number(row?.s ?? 0);
    },
    async announcePurposeChange() {
      await db.transaction().execute(async (tx) => {
        await tx
          .insertInto("purpose_changes")
          .values({ id: "purposes", seq: 1 })
          .onConflict((oc) =>
            oc.column("id").doUpdateSet((eb) => ({ seq: eb("purpose_changes.seq", "+", 1) })),
          )
          .execute();
        if (config.kind === "postgres")
          await sql`select pg_notify(${PURPOSE_CHANNEL}, ${config.schema})`.execute(tx);
      });
    },
    async purposeMarker() {
      const row = await db.selectFrom("purpose_changes").select("seq").executeTakeFirst();
      return Number(row?.seq ?? 0);
    },
    close: () => store.close(),
  };
}
