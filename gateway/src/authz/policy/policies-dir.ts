import { fileURLToPath } from "node:url";

/**
 * The repository's policies/ folder: the rules a gateway loads unless MASH_POLICIES_DIR says
 * otherwise. On its own so that configuration (and the launcher's preflight) can name it without
 * loading the policy loader.
 */
export const defaultPoliciesDir = fileURLToPath(new URL("../../../../policies", import.meta.url));
