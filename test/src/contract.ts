import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

/**
 * The contract (operations, golden fixtures, expectations) is `../shared/contract`, beside the
 * repository. The project carries its own copy of it in `test/contract/`, which tests read, so a
 * clone on its own runs every suite; contract-copy.test.ts keeps the copy byte-equal to the
 * shared contract whenever that is there (`MASH_CONTRACT_DIR` points elsewhere), and keeps the
 * copies the servers use (the seeded fixtures, the console's operations) equal to it always.
 */
export const contractDir = fileURLToPath(new URL("../contract", import.meta.url));

/** Where the shared contract is, when this checkout sits beside it. */
export const sharedContractDir =
  process.env.MASH_CONTRACT_DIR ??
  fileURLToPath(new URL("../../../shared/contract", import.meta.url));

export function sharedContractPresent(): boolean {
  return existsSync(`${sharedContractDir}/fixtures.yaml`);
}

export function contractOperation(name: string): string {
  return readFileSync(`${contractDir}/operations/${name}.graphql`, "utf8");
}

/**
 * The project's own copy of an operation the console serves (gateway/operations: the contract's,
 * kept equal to it, and the MASH process's own).
 */
export function projectOperation(name: string): string {
  return readFileSync(new URL(`../../gateway/operations/${name}.graphql`, import.meta.url), "utf8");
}

/** Every file of a contract folder, relative to it, sorted. */
export function contractFiles(dir: string = contractDir): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

export function contractOperationNames(): string[] {
  return readdirSync(`${contractDir}/operations`)
    .filter((f) => f.endsWith(".graphql"))
    .map((f) => f.replace(/\.graphql$/, ""))
    .sort();
}

export interface ContractFixtures {
  users: { username: string; name: string; agency: string; roles: string[] }[];
  subjects: {
    id: string;
    name: { given: string; family: string };
    dateOfBirth: string;
    nhsNumber: string;
    address: { line1: string; postcode: string };
    sealed: boolean;
    household?: string[];
  }[];
  enquiries: {
    id: string;
    status: string;
    rag: string;
    openedAt: string;
    reason: string;
    subjects: string[];
    lead?: string;
    asked?: string[];
    outcome?: string;
  }[];
  records: Record<string, Record<string, Record<string, unknown>>>;
}

export interface Expectation {
  name: string;
  as: string;
  enquiry?: string;
  breakGlass?: string;
  operation: string;
  variables: Record<string, unknown>;
  visible: string[];
  withheld: string[];
  /** List elements that must not be in the response at all, and that no error names. */
  absent?: string[];
  first?: string;
}

export function contractExpectations(): Expectation[] {
  return parse(readFileSync(`${contractDir}/expectations.yaml`, "utf8")) as Expectation[];
}

export function contractFixtures(): ContractFixtures {
  return parse(readFileSync(`${contractDir}/fixtures.yaml`, "utf8")) as ContractFixtures;
}

/** Which response section each agency's records appear under. */
export const sectionOf: Record<string, string> = {
  police: "police",
  "childrens-services": "socialCare",
  health: "health",
  education: "education",
  probation: "probation",
  "adult-social-care": "adultSocialCare",
};
