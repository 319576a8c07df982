import { describe, expect, it } from "vitest";
import { composeSupergraph } from "../compose/compose.ts";
import { readSchemaFiles } from "../compose/schema-files.ts";
import { Authority, MAX_ABILITIES } from "./ability.ts";
import { loadPolicyTexts, readPolicyDir } from "./policy/load.ts";

// The abilities an Authority keeps are keyed by what a token brings: they must stay bounded
// however many role strings and combinations arrive.

const supergraphSdl = composeSupergraph(readSchemaFiles());
const { files } = readPolicyDir(new URL("../../../policies", import.meta.url).pathname);
const loaded = loadPolicyTexts({ files, supergraphSdl });
if (!loaded.policy) throw new Error(loaded.problems.map((p) => p.message).join("\n"));
const policy = loaded.policy;
const roles = [...policy.roles.keys()];

/** The `n`th non-empty subset of the policy's roles, with a purpose: distinct for each `n`. */
function contextNo(n: number) {
  const bits = Math.floor(n / 4) + 1;
  return {
    roles: roles.filter((_, i) => bits & (1 << i)),
    inEnquiry: (n & 1) === 1,
    breakGlass: (n & 2) === 2,
  };
}

describe("an Authority's abilities", () => {
  it("are keyed by the roles the policy knows: other role strings make no entry", () => {
    const authority = new Authority(policy);
    const plain = authority.ability({
      roles: ["social_worker"],
      inEnquiry: true,
      breakGlass: false,
    });
    for (let i = 0; i < 1000; i++) {
      const ability = authority.ability({
        roles: [`made-up-${i}`, "social_worker", `another-${i}`],
        inEnquiry: true,
        breakGlass: false,
      });
      expect(ability).toBe(plain);
    }
    expect(authority.keptAbilities).toBe(1);
    // Unknown roles alone are no role at all: one entry for every such token.
    const none = authority.ability({ roles: ["x"], inEnquiry: false, breakGlass: false });
    expect(authority.ability({ roles: ["y", "z"], inEnquiry: false, breakGlass: false })).toBe(
      none,
    );
    expect(authority.keptAbilities).toBe(2);
  });

  it(`keep ${MAX_ABILITIES} at most, dropping the least recently used`, () => {
    expect(2 ** roles.length * 4).toBeGreaterThan(MAX_ABILITIES * 2);
    const authority = new Authority(policy);
    const first = authority.ability(contextNo(0));
    const second = authority.ability(contextNo(1));
    for (let n = 2; n < MAX_ABILITIES; n++) authority.ability(contextNo(n));
    expect(authority.keptAbilities).toBe(MAX_ABILITIES);
    expect(authority.ability(contextNo(0))).toBe(first); // now the most recently used
    for (let n = MAX_ABILITIES; n < MAX_ABILITIES * 2; n++) {
      authority.ability(contextNo(n));
      authority.ability(contextNo(0));
    }
    expect(authority.keptAbilities).toBe(MAX_ABILITIES);
    expect(authority.ability(contextNo(0))).toBe(first);
    // The second was least recently used: dropped, and compiled again (the same rules).
    const again = authority.ability(contextNo(1));
    expect(again).not.toBe(second);
    expect(again.rules).toEqual(second.rules);
  });

  it("keep condition fields with their ability, and none for types no conditional rule targets", () => {
    const authority = new Authority(policy, { maxAbilities: 2 });
    const ctx = { roles: ["mash_manager"], inEnquiry: true, breakGlass: false };
    const typed = new Set(
      policy.rules.flatMap((r) => (r.conditions ? r.targets.map((t) => t.type) : [])),
    );
    const conditional = [...typed][0] as string;
    expect(authority.conditionFieldsIn(ctx, conditional).length).toBeGreaterThan(0);
    for (let i = 0; i < 1000; i++)
      expect(authority.conditionFieldsIn({ ...ctx, roles: [`r${i}`] }, `Type${i}`)).toEqual([]);
    // The made-up types asked nothing of a role set; the made-up roles share one entry.
    expect(authority.keptAbilities).toBe(1);
    for (let n = 0; n < 50; n++) authority.conditionFieldsIn(contextNo(n), conditional);
    expect(authority.keptAbilities).toBe(2);
  });
});
