import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startGateway } from "@mash/gateway";
import { createLogger, type StoreConfig } from "@mash/kit";
import { storeBackends, testDatabaseUrl } from "@mash/kit/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSystem, type TestSystem, testGatewayConfig } from "./system.ts";

// A close through one gateway ends the purpose on another gateway of the same policy store
// within a second, not after the second gateway's purpose cache runs out (5 s).

const backends = await storeBackends();
const READ = "query($id: ID!) { subject(id: $id) { address { postcode } } }";
const OPEN = `mutation($input: OpenEnquiryInput!) { openEnquiry(input: $input) { id } }`;
const CLOSE = `mutation($id: ID!) {
  closeEnquiry(id: $id, outcome: NO_FURTHER_ACTION, reason: "Explained by a fall at nursery") { status } }`;

describe("purpose across gateways", () => {
  let system: TestSystem;
  const dir = mkdtempSync(join(tmpdir(), "mash-purpose-"));
  beforeAll(async () => {
    system = await startSystem({ subjects: 20 });
  });
  afterAll(async () => {
    await system?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const call = async <T>(
    url: string,
    as: string,
    query: string,
    variables: object,
    enquiry?: string,
  ) => {
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(await system.headersFor({ as, enquiry })),
      },
      body: JSON.stringify({ query, variables }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { data?: T; errors?: { path?: unknown[] }[] };
  };
  const nurseReads = async (url: string, enquiry: string) => {
    const body = await call<{ subject: { address: unknown } }>(
      url,
      "nurse.evans",
      READ,
      { id: "S-1004" },
      enquiry,
    );
    return body.data?.subject.address != null;
  };

  it.each(backends.map((b) => [b.backend, b] as const))(
    "on %s: closed through one gateway, ended on the other within a second",
    async (backend, info) => {
      if (info.unavailable) throw new Error(info.unavailable);
      const schema = `purpose_${process.pid}_${Date.now().toString(36)}`;
      const store: StoreConfig =
        backend === "postgres"
          ? { kind: "postgres", url: testDatabaseUrl, schema }
          : { kind: "sqlite", file: join(dir, "policies.sqlite") };
      const endpoints = system.subgraphs.map((s) => ({ name: s.name, url: s.url }));
      const start = () =>
        startGateway(
          testGatewayConfig(endpoints, {
            governance: { store, pollMs: undefined, impactMinCount: 5 },
          }),
          {
            logger: createLogger("test", "error"),
            identity: system.identity,
            contextKey: system.contextKey,
          },
        );
      const one = await start();
      const two = await start();
      try {
        const opened = await call<{ openEnquiry: { id: string } }>(one.url, "mgr.okafor", OPEN, {
          input: {
            reason: "Nursery reports bruising on both arms",
            rag: "RED",
            subjectIds: ["S-1004"],
            ask: ["health"],
          },
        });
        const id = opened.data?.openEnquiry.id as string;
        // The second gateway now holds the open purpose in its cache.
        expect(await nurseReads(two.url, id)).toBe(true);
        const closed = await call<{ closeEnquiry: { status: string } }>(
          one.url,
          "mgr.okafor",
          CLOSE,
          { id },
        );
        expect(closed.data?.closeEnquiry.status).toBe("CLOSED");
        const at = Date.now();
        let reads = true;
        while (reads && Date.now() - at < 3000) reads = await nurseReads(two.url, id);
        const elapsed = Date.now() - at;
        console.log(
          `purpose: a close through one gateway ended on the other after ${elapsed} ms (${backend})`,
        );
        expect(reads).toBe(false);
        expect(elapsed).toBeLessThan(1000);
      } finally {
        await one.stop();
        await two.stop();
        if (backend === "postgres") {
          const client = new pg.Client({ connectionString: testDatabaseUrl });
          await client.connect();
          await client.query(`drop schema if exists "${schema}" cascade`);
          await client.end();
        }
      }
    },
  );
});
