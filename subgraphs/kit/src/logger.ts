import { type DestinationStream, destination as fileDestination, pino } from "pino";

/**
 * Structured logs: one JSON line per event on stderr, so logs can be shipped as they are. Record
 * values and token contents never go to it at info level (DEVELOPERS.md rule 6); callers log ids
 * and counts. Built on pino, behind a small interface so callers keep `logger.info(msg, fields)`.
 */
export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";
const levels: readonly LogLevel[] = ["debug", "info", "warn", "error", "silent"];

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/**
 * Credentials a careless caller might pass in fields: the bearer token, the signed subgraph
 * context, and either as a header. Defence in depth; callers are not meant to log them at all.
 */
const REDACTED = [
  "authorization",
  "token",
  '["x-mash-context"]',
  "*.authorization",
  "*.token",
  '*["x-mash-context"]',
  "*.headers.authorization",
  '*.headers["x-mash-context"]',
];

/**
 * `LOG_LEVEL`, for an entry point to hand createLogger. A mistyped one should not stop a
 * service: it logs at info, as an unset one does.
 */
export function logLevelFrom(env: Record<string, string | undefined>): LogLevel {
  const level = env.LOG_LEVEL as LogLevel | undefined;
  return level && levels.includes(level) ? level : "info";
}

/**
 * @param destination where lines go; stderr (synchronously, so nothing is lost when a signal
 *   handler exits the process) unless a test captures them.
 */
export function createLogger(
  name: string,
  level: LogLevel = "info",
  destination?: DestinationStream,
): Logger {
  const log = pino(
    {
      // A level a caller got wrong (an untyped value) logs at info rather than throwing.
      level: levels.includes(level) ? level : "info",
      // pid and hostname are the shipper's to add; keep the lines as they were.
      base: { name },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED, censor: "[redacted]" },
    },
    destination ?? fileDestination({ fd: 2, sync: true }),
  );
  return {
    debug: (m, f) => log.debug(f ?? {}, m),
    info: (m, f) => log.info(f ?? {}, m),
    warn: (m, f) => log.warn(f ?? {}, m),
    error: (m, f) => log.error(f ?? {}, m),
  };
}
