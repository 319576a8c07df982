import { type FSWatcher, watch } from "node:fs";
import type { Logger } from "@mash/kit";
import { Authority } from "../authz/ability.ts";
import { loadPolicyTexts, type PolicyText, readPolicyDir } from "../authz/policy/load.ts";
import { formatProblem, PolicyError } from "../authz/policy/types.ts";
import type { PolicyStore } from "./policy-store.ts";
import { followPublications, type PublicationFollower } from "./policy-sync.ts";
import { overlayPublished } from "./policy-texts.ts";

export interface PolicyHolder {
  /** The policy in force; always one that passed every check. */
  authority(): Authority;
  /** The texts of the policy in force (files with published versions laid over them). */
  texts(): readonly PolicyText[];
  /** Checks and loads the files now; keeps the last good policy when they have problems. */
  reload(): boolean;
  /**
   * Resolves once the published versions of the store (if any) are in force. Until then the
   * repository files alone are: a gateway with a store awaits this before serving.
   */
  ready: Promise<void>;
  /**
   * Reads the store's published versions now: after a publication through this gateway its own
   * requests see the change at once, not at the next poll.
   */
  sync(): Promise<void>;
  stop(): void;
}

/** Where published versions come from: every gateway on the same store follows its publications. */
export interface PolicySource {
  store: PolicyStore;
  /** Change-marker poll interval; 500 ms on SQLite, 5 s (a safety net beside LISTEN) on PostgreSQL. */
  pollMs?: number;
}

/**
 * Holds the policy in force and follows edits to the policy files: a valid edit is live once the
 * files settle (150 ms), an invalid one is logged with every problem and the last good policy
 * stays. A policy that does not load at start stops the gateway (fail closed). With a source,
 * each agency's published version replaces its file, and publications through any gateway on the
 * same store are followed; a published text that does not load (it was checked when published,
 * but the files may have changed since) is logged and the last good policy stays.
 */
export function holdPolicies(options: {
  dir: string;
  supergraphSdl: string;
  logger: Logger;
  watch?: boolean;
  source?: PolicySource;
}): PolicyHolder {
  const { logger } = options;
  let published: ReadonlyMap<string, string> = new Map();
  const load = () => {
    const read = readPolicyDir(options.dir);
    if (read.problems.length) return { policy: undefined, problems: read.problems, files: [] };
    const files = overlayPublished(read.files, published);
    return { ...loadPolicyTexts({ files, supergraphSdl: options.supergraphSdl }), files };
  };

  const first = load();
  if (!first.policy) throw new PolicyError(first.problems);
  let current = new Authority(first.policy);
  let texts: readonly PolicyText[] = first.files;
  logger.info("policies loaded", {
    version: first.policy.version,
    rules: first.policy.rules.length,
  });

  const reload = () => {
    const next = load();
    if (!next.policy) {
      for (const p of next.problems) logger.error(`policy rejected: ${formatProblem(p)}`);
      logger.error("policy edit rejected; the last good policy stays in force", {
        version: current.policy.version,
      });
      return false;
    }
    texts = next.files;
    if (next.policy.version !== current.policy.version) {
      current = new Authority(next.policy);
      logger.info("policies reloaded", {
        version: next.policy.version,
        rules: next.policy.rules.length,
      });
    }
    return true;
  };

  let watcher: FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  if (options.watch !== false) {
    watcher = watch(options.dir, () => {
      clearTimeout(timer);
      timer = setTimeout(reload, 150);
    });
    watcher.on("error", (error) => logger.error("policy watch failed", { error: error.message }));
  }

  let stopped = false;
  let follower: PublicationFollower | undefined;
  let ready = Promise.resolve();
  let sync = () => Promise.resolve();
  const source = options.source;
  if (source) {
    // Publications are read one at a time, so an older read never lands after a newer one.
    let queue = Promise.resolve();
    const refresh = () => {
      queue = queue.then(async () => {
        try {
          published = await source.store.published();
          reload();
        } catch (error) {
          logger.error("published policies could not be read; the policy in force stays", {
            error: (error as Error).message,
          });
        }
      });
      return queue;
    };
    sync = () => ready.then(refresh);
    ready = (async () => {
      // The marker first: a publication between the two reads is then seen as a change.
      const since = await source.store.marker();
      published = await source.store.published();
      if (!reload()) logger.error("a published policy does not load; the repository files stay");
      if (stopped) return;
      follower = followPublications({
        store: source.store,
        logger,
        since,
        onChange: () => void refresh(),
        ...(source.pollMs ? { pollMs: source.pollMs } : {}),
      });
    })();
    // Handled here so a caller that never awaits it gets a log line, not an unhandled rejection.
    ready.catch((error: Error) =>
      logger.error("published policies could not be loaded", { error: error.message }),
    );
  }

  return {
    authority: () => current,
    texts: () => texts,
    reload,
    ready,
    sync: () => sync(),
    stop() {
      stopped = true;
      clearTimeout(timer);
      watcher?.close();
      void follower?.stop();
    },
  };
}

/** holdPolicies with a store, resolved once the published versions are in force. */
export async function holdPublishedPolicies(
  options: Parameters<typeof holdPolicies>[0] & { source: PolicySource },
): Promise<PolicyHolder> {
  const holder = holdPolicies(options);
  try {
    await holder.ready;
  } catch (error) {
    holder.stop();
    throw error;
  }
  return holder;
}
