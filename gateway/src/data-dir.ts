import {
  accessSync,
  chmodSync,
  constants,
  mkdirSync,
  readdirSync,
  type Stats,
  statSync,
} from "node:fs";
import { join } from "node:path";
import { ConfigError, PRIVATE_DIR_MODE, restrictToOwner } from "@mash/kit";

const codeOf = (error: unknown) =>
  (error as NodeJS.ErrnoException).code ?? (error as Error).message;

/**
 * Makes the data directory if it is missing and checks it can be written. The development keys,
 * the access log and the policy store default to files in it; a directory that cannot be used
 * would otherwise fail later with a bare ENOTDIR or EACCES that names no setting.
 *
 * It holds records of children and of who read them, and the keys that vouch for users: it is
 * made, or made again, the owner's alone (0700), and every file in it too (0600), including
 * those written before this was so.
 */
export function ensureDataDir(dir: string): void {
  let existing: Stats | undefined;
  try {
    existing = statSync(dir, { throwIfNoEntry: false });
  } catch (error) {
    // ENOTDIR (a file on the way), EACCES (a parent that cannot be searched).
    throw new ConfigError("MASH_DATA_DIR", `${dir} cannot be made (${codeOf(error)})`);
  }
  if (existing && !existing.isDirectory())
    throw new ConfigError("MASH_DATA_DIR", `${dir} is a file, not a directory`);
  if (!existing) {
    try {
      mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    } catch (error) {
      throw new ConfigError("MASH_DATA_DIR", `${dir} cannot be made (${codeOf(error)})`);
    }
  }
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new ConfigError("MASH_DATA_DIR", `${dir} is not writable by this process`);
  }
  keepToOwner(dir);
}

function keepToOwner(dir: string): void {
  const mode = statSync(dir).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    try {
      chmodSync(dir, mode & PRIVATE_DIR_MODE);
    } catch (error) {
      throw new ConfigError(
        "MASH_DATA_DIR",
        `${dir} is open to other users (mode ${mode.toString(8)}) and cannot be made private (${codeOf(error)})`,
      );
    }
  }
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isFile()) continue;
    try {
      restrictToOwner(join(dir, entry.name));
    } catch (error) {
      throw new ConfigError("MASH_DATA_DIR", (error as Error).message);
    }
  }
}
