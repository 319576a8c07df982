import { type Kysely, type Migration, Migrator } from "kysely";

/** Where Kysely keeps track of the kit's migrations, apart from the agency's. */
export const KIT_MIGRATION_TABLES = {
  migrationTableName: "kit_migration",
  migrationLockTableName: "kit_migration_lock",
};

/** Applies `migrations` not yet applied, in name order; a failure names the migration. */
export async function migrateStore<DB>(
  db: Kysely<DB>,
  migrations: Record<string, Migration>,
  agency: string,
  schema: string | undefined,
  tables: Partial<typeof KIT_MIGRATION_TABLES> = {},
) {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...tables,
    // Kysely looks for its bookkeeping tables in every schema unless told which: another store's
    // schema on the same database would make it skip creating this one's, then fail.
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error");
    const where = failed ? ` in migration ${failed.migrationName}` : "";
    throw new Error(`${agency} store: migration failed${where}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
