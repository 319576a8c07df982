import { openStore, type Store, type StoreConfig } from "@mash/kit";
import { sql } from "kysely";
import { PURPOSE_CHANNEL } from "./policy-channels.ts";
import { type PolicyReads, policyReads } from "./policy-reads.ts";
import { migrations, type PolicyTables } from "./policy-store-schema.ts";
import { type PolicyWrites, policyWrites, StaleVersionError } from "./policy-writes.ts";

// Re-exported: the governance modules take the store's types from here.
export { POLICY_CHANNEL, PURPOSE_CHANNEL } from "./policy-channels.ts";
export type { PolicyReads } from "./policy-reads.ts";
export {
  POLICY_STATUSES,
  type PolicyStatus,
  type PolicyTables,
  type PolicyVersion,
} from "./policy-store-schema.ts";
export { type NewVersion, type PolicyWrites, StaleVersionError } from "./policy-writes.ts";

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
    ...policyReads(db),
    async transaction(fn) {
      // Two officers saving at once can race for the next version number: try again.
      for (let attempt = 1; ; attempt++) {
        try {
          return await db.transaction().execute((tx) => fn(policyWrites(tx, config)));
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
