import { type FSWatcher, watch } from "node:fs";
import type { Logger } from "@mash/kit";
import { Authority } from "./ability.ts";
import { loadPolicies } from "./policy/load.ts";
import { formatProblem, PolicyError } from "./policy/types.ts";

export interface PolicyHolder {
  /** The policy in force; always one that passed every check. */
  authority(): Authority;
  /** Checks and loads the files now; keeps the last good policy when they have problems. */
  reload(): boolean;
  stop(): void;
}

/**
 * Holds the policy in force and follows edits to the policy files: a valid edit is live once the
 * files settle (150 ms), an invalid one is logged with every problem and the last good policy
 * stays. A policy that does not load at start stops the gateway (fail closed).
 */
export function holdPolicies(options: {
  dir: string;
  supergraphSdl: string;
  logger: Logger;
  watch?: boolean;
}): PolicyHolder {
  const first = loadPolicies({ dir: options.dir, supergraphSdl: options.supergraphSdl });
  if (!first.policy) throw new PolicyError(first.problems);
  let current = new Authority(first.policy);
  options.logger.info("policies loaded", {
    version: first.policy.version,
    rules: first.policy.rules.length,
  });

  const reload = () => {
    const next = loadPolicies({ dir: options.dir, supergraphSdl: options.supergraphSdl });
    if (!next.policy) {
      for (const p of next.problems) options.logger.error(`policy rejected: ${formatProblem(p)}`);
      options.logger.error("policy edit rejected; the last good policy stays in force", {
        version: current.policy.version,
      });
      return false;
    }
    if (next.policy.version !== current.policy.version) {
      current = new Authority(next.policy);
      options.logger.info("policies reloaded", {
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
    watcher.on("error", (error) =>
      options.logger.error("policy watch failed", { error: error.message }),
    );
  }
  return {
    authority: () => current,
    reload,
    stop() {
      clearTimeout(timer);
      watcher?.close();
    },
  };
}
