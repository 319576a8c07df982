import { runPurgeCommand } from "./purge-command.ts";

/**
 * `npm run audit:purge -- --before 2026-01-01T00:00:00Z` (or `--through <seq>`, `--file
 * audit.sqlite`, `--keygen <dir>`): retention for the access log. See purge-command.ts.
 */
const { exitCode, message } = await runPurgeCommand(process.argv.slice(2), process.env);
(exitCode === 0 ? process.stdout : process.stderr).write(`${message}\n`);
process.exitCode = exitCode;
