import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { contractAvailable, contractDir, contractOperationNames } from "./contract.ts";

const root = new URL("../../", import.meta.url);
const missing = contractAvailable();

// The project keeps copies so a clone seeds the fixtures and the console shows the operations
// on its own; these must never drift from the shared contract.
describe.skipIf(missing)("the project's copies of the contract", () => {
  it("seed the golden fixtures exactly as the contract has them", () => {
    expect(readFileSync(new URL("subgraphs/kit/contract/fixtures.yaml", root), "utf8")).toBe(
      readFileSync(`${contractDir}/fixtures.yaml`, "utf8"),
    );
  });

  it.each(missing ? [] : contractOperationNames())("serve %s to the console as written", (name) => {
    expect(readFileSync(new URL(`gateway/operations/${name}.graphql`, root), "utf8")).toBe(
      readFileSync(`${contractDir}/operations/${name}.graphql`, "utf8"),
    );
  });
});
