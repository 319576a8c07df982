import { chmodSync, closeSync, mkdirSync, openSync, statSync } from "node:fs";

/**
 * Records of children and of who read them: every file a store, key or log is kept in is the
 * owner's alone (0600), in a directory only the owner may enter (0700).
 */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

const code = (error: unknown) => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

/** Makes a file the owner's alone, if it exists. Throws naming the file when it cannot. */
export function restrictToOwner(path: string): void {
  try {
    chmodSync(path, PRIVATE_FILE_MODE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw new Error(`${path} cannot be made private to its owner (${code(error)})`, {
      cause: error,
    });
  }
}

/**
 * Makes the directory (0700) if missing, and takes every other user's access away if it exists
 * with some. Throws naming the directory when it cannot (it belongs to someone else, say).
 */
export function privateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const mode = statSync(dir).mode & 0o777;
  if ((mode & 0o077) === 0) return;
  try {
    chmodSync(dir, mode & PRIVATE_DIR_MODE);
  } catch (error) {
    throw new Error(
      `${dir} is open to other users (mode ${mode.toString(8)}) and cannot be made private (${code(error)})`,
      { cause: error },
    );
  }
}

/**
 * A SQLite file made 0600 before SQLite opens it: SQLite gives the -wal and -shm files it makes
 * the database file's mode, so they are private too. Those already there are restricted as well.
 */
export function privateSqliteFile(file: string): void {
  closeSync(openSync(file, "a", PRIVATE_FILE_MODE));
  for (const path of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) restrictToOwner(path);
}
