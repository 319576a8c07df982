import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { initialDdl } from "../section/initial-ddl.ts";
import type { AnyAgency } from "../server/agency.ts";

/**
 * The suite every declared agency runs for its first migration: the statements it issues on
 * each database must be, to the letter, the ones in `expected` (the DDL the agency's stores were
 * created with), so that no change to a declaration alters a table existing stores already have.
 * A new column belongs in a later migration, named by the column's `added`.
 */
export function describeInitialMigration(agency: AnyAgency, expected: URL): void {
  describe(`${agency.name} 0001_initial`, () => {
    it("creates the tables stores were first created with", async () => {
      expect(await initialDdl(agency.migrations)).toBe(readFileSync(expected, "utf8"));
    });
  });
}
