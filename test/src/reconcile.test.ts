import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type CallerContext, GATEWAY_SUBJECT, type RunningSubgraph, signContext } from "@mash/kit";
import { storeBackends } from "@mash/kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  GATEWAY_OWN_OPERATIONS,
  type Reconciliation,
  reconcile,
} from "../../gateway/src/audit/reconcile.ts";
import { startSystem, type TestSystem } from "./system.ts";

const entities = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Subject { id police { known warningMarkers } } }
}`;

const root = fileURLToPath(new URL("../..", import.meta.url));

for (const { backend, unavailable } of await storeBackends()) {
  describe.skipIf(unavailable)(`audit:reconcile, agencies on ${backend}`, () => {
    let system: TestSystem;
    let police: RunningSubgraph;
    const answered: string[] = [];

    /** Every agency's served log against the gateway's access log. */
    const run = async (): Promise<Reconciliation> => {
      await Promise.all(system.subgraphs.map((s) => s.servedLog.flush()));
      return reconcile({
        audit: { kind: "sqlite", file: join(system.identity.dataDir, "audit.sqlite") },
        agencies: system.subgraphs.map((s) => ({ name: s.name, store: s.store.config })),
        settleSeconds: 0,
        // The records are written as each answer goes out, the entries a moment before.
        now: new Date(Date.now() + 1000),
      });
    };

    /** A request signed with the gateway's key, sent straight to police: a stolen key's use. */
    const stolen = async (caller: CallerContext) => {
      const body = JSON.stringify({
        query: entities,
        variables: { representations: [{ __typename: "Subject", id: "S-1001" }] },
      });
      const response = await fetch(police.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-mash-context": await signContext(system.contextKey, "police", caller, body),
        },
        body,
      });
      expect(response.status).toBe(200);
    };

    /** `npm run audit:reconcile`, finding the stores as an operator's environment says. */
    const cli = () => {
      const store = police.store.config;
      const env =
        store.kind === "sqlite"
          ? { MASH_DATA_DIR: dirname(store.file) }
          : {
              MASH_DATABASE_URL: store.url,
              MASH_DATABASE_SCHEMA_PREFIX: store.schema.slice(0, -"police".length),
            };
      const audit = join(system.identity.dataDir, "audit.sqlite");
      return spawnSync(
        process.execPath,
        ["--import", "tsx", "gateway/src/audit/reconcile-cli.ts", "--file", audit, "--settle", "0"],
        { cwd: root, encoding: "utf8", env: { ...process.env, ...env, LOG_LEVEL: "silent" } },
      );
    };

    beforeAll(async () => {
      system = await startSystem({ subjects: 20, backend });
      police = system.subgraphs.find((s) => s.name === "police") as RunningSubgraph;
      for (const [as, enquiry] of [
        ["sw.patel", "ENQ-2001"],
        ["pc.jones", undefined],
        ["mgr.okafor", "ENQ-2001"],
      ] as const) {
        const response = await fetch(system.gatewayUrl, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            ...(await system.headersFor({ as, ...(enquiry ? { enquiry } : {}) })),
          },
          body: JSON.stringify({
            query: '{ subject(id: "S-1001") { id police { known } health { known } } }',
          }),
        });
        expect(response.status).toBe(200);
        answered.push(response.headers.get("x-request-id") as string);
      }
    });
    afterAll(() => system?.stop());

    it("matches everything the gateway caused; its own schema fetches are named as such", async () => {
      const result = await run();
      expect(result.unmatched).toEqual([]);
      expect(result.ok).toBe(true);
      const byName = new Map(result.agencies.map((a) => [a.agency, a]));
      for (const s of system.subgraphs) {
        const agency = byName.get(s.name);
        expect(agency?.missing).toBeUndefined();
        // Composition at start asked every subgraph for its schema, for no client request.
        expect(agency?.gatewayOwn).toMatchObject({ "schema fetch": 1 });
      }
      // The hub answered each request, and the purpose lookups carried their request's id.
      expect(byName.get("mash")?.matched).toBeGreaterThanOrEqual(answered.length);
      expect(byName.get("police")?.matched).toBeGreaterThanOrEqual(answered.length);
      expect(Object.keys(GATEWAY_OWN_OPERATIONS)).toEqual(["schema fetch", "subject counts"]);
    });

    it("says so on the command line, and exits 0", async () => {
      await Promise.all(system.subgraphs.map((s) => s.servedLog.flush()));
      const run = cli();
      expect(run.stderr).toBe("");
      expect(run.stdout).toMatch(
        /police: \d+ served, \d+ matched, the gateway's own: 1 schema fetch/,
      );
      expect(run.stdout).toMatch(/Every served request has its record\.\n$/);
      expect(run.status).toBe(0);
    });

    it("accepts the gateway's subject counts, made for no client request", async () => {
      const token = await signContext(
        system.contextKey,
        "police",
        { sub: GATEWAY_SUBJECT, roles: [], rid: randomUUID() },
        "",
      );
      const response = await fetch(police.url.replace("/graphql", "/subject-counts"), {
        headers: { "x-mash-context": token },
      });
      expect(response.status).toBe(200);
      const result = await run();
      expect(result.ok).toBe(true);
      expect(result.agencies.find((a) => a.agency === "police")?.gatewayOwn).toMatchObject({
        "subject counts": 1,
      });
    });

    it("names a request signed with the gateway's key that no gateway request made", async () => {
      const rid = randomUUID();
      await stolen({ sub: "pc.jones", roles: ["police_officer"], rid });
      // The gateway's own name does not cover a fetch of people's records either.
      const asGateway = randomUUID();
      await stolen({ sub: GATEWAY_SUBJECT, roles: [], rid: asGateway });
      const result = await run();
      expect(result.ok).toBe(false);
      expect(result.unmatched).toEqual([
        expect.objectContaining({
          agency: "police",
          rid,
          sub: "pc.jones",
          operation: "query",
          rootFields: "_entities",
          entities: 1,
          problem: "no access-log record has its request id",
        }),
        expect.objectContaining({ agency: "police", rid: asGateway, sub: GATEWAY_SUBJECT }),
      ]);
    });

    it("names one that borrows a real request's id for other roles, another user or enquiry", async () => {
      const before = (await run()).unmatched.length;
      const [patel, jones] = answered as [string, string];
      // pc.jones's own request id, seen on his own answer, with a manager's roles added.
      await stolen({ sub: "pc.jones", roles: ["mash_manager", "police_officer"], rid: jones });
      await stolen({ sub: "mgr.okafor", roles: ["mash_manager"], rid: jones });
      await stolen({
        sub: "sw.patel",
        roles: ["social_worker"],
        agency: "childrens-services",
        enquiry: "ENQ-2002",
        rid: patel,
      });
      const result = await run();
      expect(result.unmatched.slice(before).map((u) => u.problem)).toEqual([
        "signed with other roles than its request id's record",
        "its request id's record is another user's",
        "signed for another enquiry than its request id's record",
      ]);
    });

    it("names them on the command line, and exits 1", () => {
      const run = cli();
      expect(run.stdout).toMatch(/police: .*, 5 UNMATCHED/);
      expect(run.stdout).toMatch(/5 served request\(s\) no gateway request accounts for/);
      expect(run.stdout).toMatch(
        /rid=[0-9a-f-]{36} sub=pc\.jones roles=police_officer enquiry=- query _entities entities=1: no access-log record has its request id/,
      );
      expect(run.status).toBe(1);
    });
  });
}
