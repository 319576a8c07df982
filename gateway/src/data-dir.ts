import { accessSync, constants, mkdirSync, type Stats, statSync } from "node:fs";
import { ConfigError } from "@mash/kit";

/**
 * Makes the data directory if it is missing and checks it can be written. The development keys,
 * the access log and the policy store default to files in it; a directory that cannot be used
 * would otherwise fail later with a bare ENOTDIR or EACCES that names no setting.
 */
export function ensureDataDir(dir: string): void {
  let existing: Stats | undefined;
  try {
    existing = statSync(dir, { throwIfNoEntry: false });
  } catch (error) {
    // ENOTDIR (a file on the way), EACCES (a parent that cannot be searched).
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ConfigError("MASH_DATA_DIR", `${dir} cannot be made (${code})`);
  }
  if (existing && !existing.isDirectory())
    throw new ConfigError("MASH_DATA_DIR", `${dir} is a file, not a directory`);
  if (!existing) {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new ConfigError("MASH_DATA_DIR", `${dir} cannot be made (${code})`);
    }
  }
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new ConfigError("MASH_DATA_DIR", `${dir} is not writable by this process`);
  }
}
