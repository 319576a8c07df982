import { countFrom } from "../subgraphs/kit/src/config.ts";
import { ConfigError } from "../subgraphs/kit/src/errors.ts";

type Env = Record<string, string | undefined>;

/** How often a process that died after it was ready is started again, and how soon. */
export interface RestartPolicy {
  /** Restarts allowed within `windowMs`; a crash past them is not restarted. 0: never restart. */
  limit: number;
  windowMs: number;
  /** The wait before a restart, doubled for each restart already made within the window. */
  delayMs: number;
  maxDelayMs: number;
}

export const defaultRestartPolicy: RestartPolicy = {
  limit: 5,
  windowMs: 60_000,
  delayMs: 500,
  maxDelayMs: 30_000,
};

/** `MASH_RESTART_LIMIT`, `MASH_RESTART_WINDOW_MS` and `MASH_RESTART_DELAY_MS`, or the defaults. */
export function restartPolicyFrom(env: Env): RestartPolicy {
  const limit = countFrom(env, "MASH_RESTART_LIMIT", defaultRestartPolicy.limit);
  const windowMs = countFrom(env, "MASH_RESTART_WINDOW_MS", defaultRestartPolicy.windowMs);
  if (windowMs < 1000)
    throw new ConfigError("MASH_RESTART_WINDOW_MS", `"${windowMs}" is under 1000 (one second)`);
  const delayMs = countFrom(env, "MASH_RESTART_DELAY_MS", defaultRestartPolicy.delayMs);
  if (delayMs > defaultRestartPolicy.maxDelayMs)
    throw new ConfigError(
      "MASH_RESTART_DELAY_MS",
      `"${delayMs}" is over ${defaultRestartPolicy.maxDelayMs}, the longest wait between restarts`,
    );
  return { limit, windowMs, delayMs, maxDelayMs: defaultRestartPolicy.maxDelayMs };
}

/** The wait before the next restart, given how many were made within the window. */
export function restartDelay(policy: RestartPolicy, recentRestarts: number): number {
  return Math.min(policy.delayMs * 2 ** recentRestarts, policy.maxDelayMs);
}

export const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;
