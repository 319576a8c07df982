import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contractOperation } from "./contract.ts";
import { startSystem, type TestSystem } from "./system.ts";

/**
 * The gateway's answers leave as bytes put together from parts (result-json.ts's resultBytes,
 * handed through Apollo Server as its stringifyResult): over HTTP they must be exactly the text
 * JSON.stringify writes, newline-ended, with a Content-Length that counts those bytes.
 */
describe("answers as they leave the gateway", () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    await system?.stop();
  });

  const LIST = `query List($ids: [ID!]!) { subjects(ids: $ids) { id name { given family } dateOfBirth
    address { postcode } police { known incidents { id category } } health { known gpPractice { name } } } }`;
  const ids = Array.from({ length: 40 }, (_, i) => `S-${1001 + i}`);
  const cases = [
    { name: "a list with withheld fields", as: "mgr.okafor", query: LIST, variables: { ids } },
    {
      name: "SubjectOverview",
      as: "sw.patel",
      query: contractOperation("SubjectOverview"),
      variables: { id: "S-1001" },
    },
    { name: "a query the schema refuses", as: "sw.patel", query: "{ nope }", variables: {} },
  ];

  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const response = await fetch(system.gatewayUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        // The bytes as written (fetch would otherwise ask for gzip: reply-compression.test.ts).
        "accept-encoding": "identity",
        ...(await system.headersFor({ as: c.as, enquiry: "ENQ-2001" })),
      },
      body: JSON.stringify({ query: c.query, variables: c.variables }),
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    const text = bytes.toString("utf8");
    const parsed = JSON.parse(text) as { errors?: unknown[] };
    expect(text).toBe(`${JSON.stringify(parsed)}\n`);
    expect(Buffer.from(text).equals(bytes)).toBe(true);
    expect(Number(response.headers.get("content-length"))).toBe(bytes.length);
    expect(response.headers.get("content-encoding")).toBeNull();
    expect(response.headers.get("content-type")).toMatch(/^application\/(graphql-response\+)?json/);
    if (c.name.startsWith("a list")) expect(parsed.errors?.length).toBeGreaterThan(10);
    if (c.name.startsWith("a query")) expect(response.status).toBe(400);
  });
});
