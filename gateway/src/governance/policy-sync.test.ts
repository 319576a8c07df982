import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "@mash/kit";
import { storeBackends, type TempStores, tempStores } from "@mash/kit/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultPoliciesDir } from "../authz/policy/load.ts";
import { supergraphFile } from "../compose/schema-files.ts";
import { holdPublishedPolicies, type PolicyHolder } from "./policy-holder.ts";
import { openPolicyStore, type PolicyStore } from "./policy-store.ts";

const supergraphSdl = readFileSync(supergraphFile, "utf8");
const silent = createLogger("test", "silent");
const errors: string[] = [];
/** Keeps error lines, so a test can tell a rejected publication was seen. */
const logger = { ...silent, error: (msg: string) => void errors.push(msg) };
const policeText = readFileSync(join(defaultPoliciesDir, "police.yaml"), "utf8");
const narrower = policeText.replace(
  "    roles: [health_safeguarding_nurse]\n    requires: { enquiry: true }",
  "    roles: [social_worker]\n    requires: { enquiry: true }",
);

/** Polls until the condition holds; fails after the deadline (a bound, not a measurement). */
async function eventually(condition: () => boolean, deadlineMs = 2000): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`not within ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Publishes a text as the police, straight through the store (the lifecycle is tested apart). */
async function publish(store: PolicyStore, text: string): Promise<string> {
  return store.transaction(async (tx) => {
    const previous = await tx.publishedVersion("police");
    if (previous) await tx.update(previous.id, "PUBLISHED", { status: "SUPERSEDED" });
    const version = await tx.insert({ agency: "police", text, author: "a", status: "PUBLISHED" });
    await tx.announce("police", version.id);
    return version.id;
  });
}

for (const { backend, unavailable } of await storeBackends()) {
  describe.skipIf(unavailable)(`published policies on ${backend}`, () => {
    let temp: TempStores;
    let dir: string;
    const stores: PolicyStore[] = [];
    const holders: PolicyHolder[] = [];

    beforeEach(() => {
      temp = tempStores(backend);
      dir = mkdtempSync(join(tmpdir(), "mash-policies-"));
      cpSync(defaultPoliciesDir, dir, { recursive: true });
    });
    afterEach(async () => {
      for (const h of holders.splice(0)) h.stop();
      for (const s of stores.splice(0)) await s.close();
      await temp.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    /** A gateway's view: its own store object and holder on the shared store. */
    async function gateway(): Promise<{ store: PolicyStore; holder: PolicyHolder }> {
      const store = await openPolicyStore(temp.configFor("policy"));
      stores.push(store);
      const holder = await holdPublishedPolicies({
        dir,
        supergraphSdl,
        logger,
        watch: false,
        // SQLite polls; PostgreSQL must be woken by NOTIFY, so its safety-net poll is far off.
        source: { store, pollMs: backend === "sqlite" ? 100 : 60_000 },
      });
      holders.push(holder);
      return { store, holder };
    }

    it("puts a publication through one gateway in force on another", async () => {
      const a = await gateway();
      const b = await gateway();
      const before = b.holder.authority().policy.version;
      expect(a.holder.authority().policy.version).toBe(before);

      await publish(a.store, narrower);
      await eventually(() => b.holder.authority().policy.version !== before);
      const nurseRule = b.holder
        .authority()
        .policy.rules.find((r) => r.id === "police-incident-facts-for-health");
      expect(nurseRule?.roles).toEqual(["social_worker"]);
      expect(b.holder.texts().find((f) => f.name === "police.yaml")?.text).toBe(narrower);
      await eventually(() => a.holder.authority().policy.version !== before);

      // A gateway started later loads the published version at once.
      const c = await gateway();
      expect(c.holder.authority().policy.version).toBe(b.holder.authority().policy.version);
    });

    it("keeps the last good policy when a published text does not load", async () => {
      const a = await gateway();
      const b = await gateway();
      await publish(a.store, narrower);
      await eventually(() => b.holder.texts().some((f) => f.text === narrower));
      const good = b.holder.authority().policy.version;

      // Published behind the lifecycle's back: the gateways must not take it.
      errors.length = 0;
      await publish(a.store, "agency: police\nrules: [{ id: x }]\n");
      await eventually(() => errors.some((e) => e.includes("last good policy stays")));
      expect(b.holder.authority().policy.version).toBe(good);
      expect(b.holder.texts().some((f) => f.text === narrower)).toBe(true);
      const third = await publish(a.store, policeText);
      await eventually(() => b.holder.texts().some((f) => f.text === policeText));
      expect(third).toBe("police-v3");
      expect(b.holder.authority().policy.version).not.toBe(good);
    });
  });
}
