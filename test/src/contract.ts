import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

/**
 * The shared contract (operations, golden fixtures, expectations) lives beside the repository in
 * `../shared/contract`; tests read it there rather than from copies. `MASH_CONTRACT_DIR` points
 * elsewhere. Without it (a clone on its own), suites that need it say so instead of passing.
 */
export const contractDir =
  process.env.MASH_CONTRACT_DIR ??
  fileURLToPath(new URL("../../../shared/contract", import.meta.url));

export function contractAvailable(): string | undefined {
  if (existsSync(`${contractDir}/fixtures.yaml`)) return undefined;
  if (process.env.CI === "true")
    throw new Error(`CI=true but the shared contract is not at ${contractDir}`);
  process.stderr.write(
    `Contract suites not run: no shared contract at ${contractDir} (set MASH_CONTRACT_DIR).\n`,
  );
  return `no shared contract at ${contractDir}`;
}

export function contractOperation(name: string): string {
  return readFileSync(`${contractDir}/operations/${name}.graphql`, "utf8");
}

/**
 * The project's own copy of a contract operation (gateway/operations, which contract-copy.test.ts
 * keeps equal to the contract): for suites that need the operation's text, not the contract
 * itself, so they run in a clone on its own too.
 */
export function projectOperation(name: string): string {
  return readFileSync(new URL(`../../gateway/operations/${name}.graphql`, import.meta.url), "utf8");
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
