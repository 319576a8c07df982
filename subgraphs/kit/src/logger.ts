/**
 * A small structured logger: one JSON line per event on stderr, so logs can be shipped as they are.
 * Record values and token contents never go to it at info level (DEVELOPERS.md rule 6); callers
 * log ids and counts.
 */
export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";
const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export function createLogger(
  name: string,
  level: LogLevel = (process.env.LOG_LEVEL as LogLevel | undefined) ?? "info",
): Logger {
  const threshold = rank[level] ?? rank.info;
  const write = (
    lvl: Exclude<LogLevel, "silent">,
    msg: string,
    fields?: Record<string, unknown>,
  ) => {
    if (rank[lvl] < threshold) return;
    process.stderr.write(
      `${JSON.stringify({ time: new Date().toISOString(), level: lvl, name, msg, ...fields })}\n`,
    );
  };
  return {
    debug: (m, f) => write("debug", m, f),
    info: (m, f) => write("info", m, f),
    warn: (m, f) => write("warn", m, f),
    error: (m, f) => write("error", m, f),
  };
}
