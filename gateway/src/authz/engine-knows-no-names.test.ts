import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { supergraphFile } from "../compose/schema-files.ts";
import { sourceFiles } from "../source-files.test-support.ts";
import { loadPolicies } from "./policy/load.ts";

const engineDir = fileURLToPath(new URL(".", import.meta.url));

/**
 * The sharing agreement lives in policies/ alone: the engine must not know any role, agency or
 * governed field by name, or a governance officer's edit could be overridden by code.
 */
describe("the authorization engine", () => {
  it("names no role, agency or policy-governed type in its code", () => {
    const { policy } = loadPolicies({ supergraphSdl: readFileSync(supergraphFile, "utf8") });
    if (!policy) throw new Error("the shipped policies do not load");
    const names = new Set<string>([...policy.roles.keys(), ...policy.agencies.keys()]);
    for (const rule of policy.rules) for (const t of rule.targets) names.add(t.type);
    for (const file of sourceFiles(engineDir)) {
      const code = readFileSync(file, "utf8");
      for (const name of names) {
        expect(
          code.includes(`"${name}"`) || code.includes(`'${name}'`),
          `${file} mentions "${name}"`,
        ).toBe(false);
      }
    }
  });
});
