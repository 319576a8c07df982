import Database from "better-sqlite3";

/**
 * Closes a damaged SQLite store leaving its file byte for byte as it was. The last connection to
 * a WAL database to close copies the -wal file's pages into the main file (a checkpoint) and
 * deletes the -wal: on a damaged file that writes over what an operator must examine or restore
 * from. A read-only connection that holds a read lock while the store's own connection closes
 * stops that (a checkpoint at close needs an exclusive lock), and being read-only it never
 * checkpoints when it closes in turn. What was committed before the damage was found stays in
 * the -wal file beside the main one, where SQLite finds it when the file is next opened.
 */
export async function closeAsFound(file: string, close: () => Promise<void>): Promise<void> {
  let reader: Database.Database | undefined;
  try {
    reader = new Database(file, { readonly: true, fileMustExist: true });
    // Any read takes the lock; the header's user_version reads nothing past the first page.
    reader.pragma("user_version");
  } catch {
    // A file that is no database was never in WAL mode: closing the store writes nothing to it.
  }
  try {
    await close();
  } finally {
    reader?.close();
  }
}
