import { type ContextSigningKey, type Logger, loadContextSigningKey } from "@mash/kit";
import type { IdentityConfig } from "../identity/config.ts";

/** The key subgraph contexts are signed with: MASH_CONTEXT_SIGNING_KEY, else the development one. */
export async function loadDevOrConfiguredKey(
  configured: string | undefined,
  identity: IdentityConfig,
  logger: Logger,
): Promise<ContextSigningKey> {
  const loaded = await loadContextSigningKey({
    env: { MASH_CONTEXT_SIGNING_KEY: configured },
    dataDir: identity.dataDir,
  });
  if (!loaded) throw new Error("No subgraph context signing key could be made.");
  // Development sign-in already warns that this gateway is for development; say it only otherwise.
  if (loaded.development && identity.mode !== "development")
    logger.warn(
      `MASH_CONTEXT_SIGNING_KEY is not set: subgraph contexts are signed with the development key in ${loaded.source}.`,
    );
  logger.info("subgraph contexts signed", { kid: loaded.value.kid, key: loaded.source });
  return loaded.value;
}
