import { accessSync, constants, mkdirSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { defaultDataDir, storeConfigFor } from "../subgraphs/kit/src/config.ts";
import { root } from "./bundle-check.ts";
import { databaseProblems } from "./preflight-databases.ts";
import { policyProblems } from "./preflight-policies.ts";
import { portProblems } from "./preflight-ports.ts";
import { settingProblems } from "./preflight-settings.ts";

type Env = Record<string, string | undefined>;

export interface PreflightOptions {
  env: Env;
  /** The agencies, in port order. */
  agencies: readonly string[];
  /** Where a policy check that passed is remembered (preflight-policies.ts). */
  policyCacheFile?: string;
}

/**
 * What `npm start` checks before it seeds or starts anything: the ports are free, the databases
 * parse and answer, the data directory can be written, every setting the gateway and the agencies
 * read parses (by their own parsers), and the sharing rules load. Every problem found, one line
 * each, naming the setting and what to do; none when all is well. The checks run together and
 * take a few tens of milliseconds when all is well (the policy check remembers its last pass).
 */
export async function preflight(options: PreflightOptions): Promise<string[]> {
  const { env, agencies } = options;
  // Ports and databases wait on the network; the rest on this process.
  // Awaited together: a check that fails while another is awaited must reach the caller.
  const [ports, databases, settings, policies] = await Promise.all([
    portProblems(env, agencies),
    databaseProblems(env, agencies),
    settingProblems(env, agencies),
    policyProblems(env, { cacheFile: options.policyCacheFile }),
  ]);
  const local = [dataDirProblem(env, agencies)].filter((p): p is string => p !== undefined);
  // A setting read twice (a gateway store's URL, MASH_DATABASE_URL for each agency) is named once.
  return [...new Set([...ports, ...databases, ...local, ...settings, ...policies])];
}

/**
 * Whether the data directory is needed (SQLite stores, the development keys, the gateway's
 * access log and policy store by default) and, if so, can be made and written: checked as the
 * gateway checks it (gateway/src/data-dir.ts), before any process would fail on it one by one.
 */
function dataDirProblem(env: Env, agencies: readonly string[]): string | undefined {
  const needed =
    !env.MASH_AUTH_ISSUER ||
    !env.MASH_CONTEXT_SIGNING_KEY ||
    !(env.MASH_AUDIT_DATABASE_URL || env.MASH_AUDIT_FILE) ||
    !(env.MASH_POLICY_DATABASE_URL || env.MASH_POLICY_FILE) ||
    agencies.some((agency) => {
      try {
        return storeConfigFor(agency, env).kind === "sqlite";
      } catch {
        // A database setting that does not parse is named by databaseProblems.
        return false;
      }
    });
  if (!needed) return undefined;
  const dir = env.MASH_DATA_DIR ? resolve(root, env.MASH_DATA_DIR) : defaultDataDir;
  const code = (error: unknown) => (error as NodeJS.ErrnoException).code ?? String(error);
  let stats: ReturnType<typeof statSync>;
  try {
    stats = statSync(dir, { throwIfNoEntry: false });
  } catch (error) {
    return `MASH_DATA_DIR: ${dir} cannot be made (${code(error)}): set MASH_DATA_DIR to a directory this user may write`;
  }
  if (stats && !stats.isDirectory())
    return `MASH_DATA_DIR: ${dir} is a file, not a directory: set MASH_DATA_DIR to a directory`;
  if (!stats) {
    try {
      // The owner's alone, as the gateway and the stores make it.
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (error) {
      return `MASH_DATA_DIR: ${dir} cannot be made (${code(error)}): set MASH_DATA_DIR to a directory this user may write`;
    }
  }
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    return `MASH_DATA_DIR: ${dir} is not writable by this process: make it writable (chmod u+w) or set MASH_DATA_DIR`;
  }
  return undefined;
}
