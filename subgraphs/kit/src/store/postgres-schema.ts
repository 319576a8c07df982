import pg from "pg";

/** A PostgreSQL identifier, quoted. */
export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Creates the store's schema unless it exists. */
export async function ensureSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`create schema if not exists ${quoteIdent(schema)}`);
  } catch (error) {
    // Two agencies starting together can race on the catalogue; the schema exists either way.
    if ((error as { code?: string }).code !== "23505") throw error;
  } finally {
    await client.end();
  }
}
