import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  contractDir,
  contractExpectations,
  contractFiles,
  contractOperationNames,
  sharedContractDir,
  sharedContractPresent,
} from "./contract.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const shared = sharedContractPresent();
const read = (path: string) => readFileSync(path, "utf8");

// The project's copy of the contract (test/contract) is what tests read, so a clone on its own
// runs every suite. Beside the shared contract it must be the contract, byte for byte: a copy
// that drifts would test the project against a contract nobody else holds.
describe("the project's copy of the contract", () => {
  if (shared) {
    it("holds the same files as the shared contract", () => {
      expect(contractFiles()).toEqual(contractFiles(sharedContractDir));
    });

    it.each(contractFiles(sharedContractDir))("has %s exactly as the shared contract", (file) => {
      expect(read(`${contractDir}/${file}`)).toBe(read(`${sharedContractDir}/${file}`));
    });
  } else {
    // A clone on its own cannot compare: it says so, and checks what it can.
    process.stderr.write(
      `Contract copy not compared: no shared contract at ${sharedContractDir} (set MASH_CONTRACT_DIR).\n`,
    );
  }

  it("names in its expectations only operations it has", () => {
    const names = new Set(contractOperationNames());
    const used = new Set(contractExpectations().map((c) => c.operation));
    expect(used.size).toBeGreaterThan(0);
    expect([...used].filter((name) => !names.has(name))).toEqual([]);
  });

  it("parses: fixtures and expectations are YAML", () => {
    expect(() => parse(read(`${contractDir}/fixtures.yaml`))).not.toThrow();
    expect(contractExpectations().length).toBeGreaterThan(0);
  });
});

// The copies the servers use, kept equal to the project's copy of the contract.
describe("the servers' copies of the contract", () => {
  it("seed the golden fixtures exactly as the contract has them", () => {
    expect(read(`${root}subgraphs/kit/contract/fixtures.yaml`)).toBe(
      read(`${contractDir}/fixtures.yaml`),
    );
  });

  it.each(contractOperationNames())("serve %s to the console as written", (name) => {
    expect(read(`${root}gateway/operations/${name}.graphql`)).toBe(
      read(`${contractDir}/operations/${name}.graphql`),
    );
  });
});
