import type { Logger } from "@mash/kit";
import { Authority } from "../authz/ability.ts";
import type { PolicyText } from "../authz/policy/load.ts";
import type { PolicyStore } from "./policy-store.ts";
import { validateAgencyText } from "./policy-texts.ts";
import type { ShadowCandidate } from "./shadow.ts";

export interface ShadowCandidates {
  /** The compiled pending versions: synchronous and allocation-free, for the request path. */
  candidates(): readonly ShadowCandidate[];
  /** Re-reads the pending versions now (after a propose, approve, reject or publish). */
  refresh(): Promise<void>;
  stop(): void;
}

/**
 * Keeps the versions awaiting a decision (PROPOSED, and APPROVED but not yet published) compiled
 * beside the policy in force, each as the whole policy with its agency's text substituted, so
 * shadow mode judges them exactly as enforcement would. Read from the store every `refreshMs`
 * (other gateways' proposals) and on `refresh()`; a version is recompiled only when it or the
 * policy in force changed. A version that no longer loads is left out (and logged).
 */
export function createShadowCandidates(options: {
  store: PolicyStore;
  /** The policy in force and its texts: the holder. */
  holder: { authority(): Authority; texts(): readonly PolicyText[] };
  supergraphSdl: string;
  logger?: Logger;
  refreshMs?: number;
}): ShadowCandidates {
  let current: readonly ShadowCandidate[] = [];
  const compiled = new Map<string, { key: string; authority: Authority | undefined }>();

  const load = async () => {
    const pending = await options.store.withStatus(["PROPOSED", "APPROVED"]);
    const base = options.holder.authority().policy.version;
    const next: ShadowCandidate[] = [];
    const seen = new Set<string>();
    for (const version of pending) {
      seen.add(version.id);
      const key = `${base}|${version.status}|${version.text}`;
      let entry = compiled.get(version.id);
      if (entry?.key !== key) {
        const loaded = validateAgencyText({
          files: options.holder.texts(),
          agency: version.agency,
          text: version.text,
          supergraphSdl: options.supergraphSdl,
        });
        if (!loaded.policy)
          options.logger?.warn("a pending policy version no longer loads; not shadowed", {
            version: version.id,
            problems: loaded.problems.length,
          });
        entry = { key, authority: loaded.policy && new Authority(loaded.policy) };
        compiled.set(version.id, entry);
      }
      if (entry.authority) next.push({ versionId: version.id, authority: entry.authority });
    }
    for (const id of compiled.keys()) if (!seen.has(id)) compiled.delete(id);
    current = next;
  };

  // One load at a time, each after the last: a refresh asked during a load still sees its change.
  let chain: Promise<void> = Promise.resolve();
  const refresh = () => {
    chain = chain.then(load).catch((error: Error) => {
      options.logger?.error("pending policy versions could not be read", {
        error: error.message,
      });
    });
    return chain;
  };

  const timer = setInterval(() => void refresh(), options.refreshMs ?? 5000);
  timer.unref();
  void refresh();
  return {
    candidates: () => current,
    refresh,
    stop: () => clearInterval(timer),
  };
}
