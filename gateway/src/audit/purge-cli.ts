import { purgeAccessLog } from "./purge.ts";

/**
 * `npm run audit:purge -- --before 2026-01-01T00:00:00Z` (or `--through <seq>`, `--file
 * audit.sqlite`, `--keygen <dir>`): retention for the access log. See purge.ts.
 */
const { exitCode, message } = await purgeAccessLog(process.argv.slice(2), process.env);
(exitCode === 0 ? process.stdout : process.stderr).write(`${message}\n`);
process.exitCode = exitCode;
