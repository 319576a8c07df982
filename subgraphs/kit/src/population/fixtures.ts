import { readFileSync } from "node:fs";
import { parse } from "yaml";

/**
 * The golden fixtures: records the seeded data must contain exactly. The project keeps a copy of
 * the contract's file beside this kit (so a clone without the shared folder still seeds them);
 * a test fails if the copy drifts from the contract.
 */
export const fixturesFile = new URL("../../contract/fixtures.yaml", import.meta.url);

export interface DevUser {
  username: string;
  name: string;
  agency: string;
  roles: string[];
}

export interface GoldenSubject {
  id: string;
  name: { given: string; family: string };
  dateOfBirth: string;
  nhsNumber: string;
  address: { line1: string; postcode: string };
  sealed: boolean;
  household?: string[];
}

export interface GoldenEnquiry {
  id: string;
  status: "OPEN" | "CLOSED";
  rag: "RED" | "AMBER" | "GREEN";
  openedAt: string;
  reason: string;
  subjects: string[];
  /** The agency whose front door leads the enquiry. */
  lead?: string;
  /** The agencies ragged in to research. */
  asked?: string[];
  outcome?: string;
}

/** Agency records keyed by agency then subject id; each agency's seed knows its own shape. */
export type GoldenRecords = Record<string, Record<string, Record<string, unknown>>>;

export interface GoldenFixtures {
  users: DevUser[];
  subjects: GoldenSubject[];
  enquiries: GoldenEnquiry[];
  records: GoldenRecords;
}

let cached: GoldenFixtures | undefined;

export function loadFixtures(file: URL | string = fixturesFile): GoldenFixtures {
  if (cached && file === fixturesFile) return cached;
  const parsed = parse(readFileSync(file, "utf8")) as Partial<GoldenFixtures> | null;
  for (const key of ["users", "subjects", "enquiries", "records"] as const) {
    if (!parsed?.[key]) throw new Error(`${String(file)}: the fixtures have no "${key}" section`);
  }
  const fixtures = parsed as GoldenFixtures;
  if (file === fixturesFile) cached = fixtures;
  return fixtures;
}
