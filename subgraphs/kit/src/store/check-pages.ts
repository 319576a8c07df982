import type Database from "better-sqlite3";
import type { createDamageGuard } from "./damage-guard.ts";

/** How much of quick_check's report a damage keeps: enough to say where, not a page per line. */
const PROBLEMS_KEPT = 3;

/**
 * `PRAGMA quick_check` reads every page once (about 2 ms for the hub's store of 2,000 people,
 * about 100 ms at 100,000). Damage it can walk past is reported as rows; what stops it throws
 * SQLITE_CORRUPT, which the caller's handler marks.
 */
export function checkPages(
  database: Database.Database,
  guard: ReturnType<typeof createDamageGuard>,
) {
  const problems = (database.pragma("quick_check") as { quick_check: string }[])
    .map((row) => row.quick_check)
    .filter((line) => line !== "ok");
  if (problems.length > 0)
    guard.mark(
      "SQLITE_CORRUPT",
      `quick_check: ${problems.slice(0, PROBLEMS_KEPT).join("; ").replace(/\s+/g, " ")}`,
    );
}
