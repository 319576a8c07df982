import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultPoliciesDir } from "../../gateway/src/authz/policy/load.ts";
import { startSystem, type TestSystem } from "./system.ts";

const QUERY = '{ subject(id: "S-1001") { health { gpPractice { name } } } }';
const AS = { as: "sw.patel", enquiry: "ENQ-2001" };

/** Polls until the condition holds or the deadline passes; returns how long it took. */
async function within(ms: number, condition: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < ms) {
    if (await condition()) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`not within ${ms} ms`);
}

describe("policy hot reload", () => {
  let system: TestSystem;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "mash-reload-"));
    cpSync(defaultPoliciesDir, dir, { recursive: true });
    system = await startSystem({ subjects: 20, policiesDir: dir });
  });
  afterAll(async () => {
    await system?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const gpWithheld = async () => {
    const { body } = await system.query(QUERY, {}, AS);
    return (body.errors ?? []).some((e) => e.path?.join(".") === "subject.health.gpPractice");
  };

  it("puts a valid edit in force within 2 seconds, and keeps the last good policy on a bad one", async () => {
    expect(await gpWithheld()).toBe(false);
    const file = join(dir, "health.yaml");
    const original = readFileSync(file, "utf8");
    const before = system.gateway.policies.authority().policy.version;

    // Narrow the GP practice rule to the police only: the social worker loses it.
    writeFileSync(
      file,
      original.replace(
        "roles: [social_worker, mash_manager, police_mash_officer, adult_social_worker]",
        "roles: [police_mash_officer]",
      ),
    );
    const took = await within(2000, gpWithheld);
    process.stdout.write(`policy edit live after ${took} ms\n`);
    const narrowed = system.gateway.policies.authority().policy.version;
    expect(narrowed).not.toBe(before);

    // A broken edit is refused; the narrowed policy stays in force.
    writeFileSync(
      file,
      original.replace("HealthSection: [gpPractice]", "HealthSection: [gpPractise]"),
    );
    await new Promise((r) => setTimeout(r, 600));
    expect(system.gateway.policies.reload()).toBe(false);
    expect(system.gateway.policies.authority().policy.version).toBe(narrowed);
    expect(await gpWithheld()).toBe(true);

    writeFileSync(file, original);
    await within(2000, async () => !(await gpWithheld()));
  });
});
