import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawRequest } from "../../gateway/src/server/raw-request.test-support.ts";
import { contractOperation } from "./contract.ts";
import { startSystem, type TestSystem } from "./system.ts";

/**
 * The graph's answers over HTTP as a browser asks for them (Accept-Encoding: gzip): a long one
 * gzipped, to exactly the bytes sent to a client that does not take gzip; a short one as it is.
 * node:http is used because it shows what was sent: fetch would decompress it out of sight.
 */
describe("answers compressed for clients that take gzip", () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    await system?.stop();
  });

  async function post(body: string, as: string, acceptEncoding: string) {
    const url = new URL(system.gatewayUrl);
    const reply = await rawRequest({
      port: url.port,
      path: url.pathname,
      method: "POST",
      headers: {
        "content-type": "application/json",
        "accept-encoding": acceptEncoding,
        ...(await system.headersFor({ as, enquiry: "ENQ-2001" })),
      },
      body,
    });
    return { status: reply.status, headers: reply.headers, bytes: reply.body };
  }

  const LIST = `query List($ids: [ID!]!) { subjects(ids: $ids) { id name { given family } dateOfBirth
    address { postcode } police { known incidents { id category } } health { known gpPractice { name } } } }`;
  const list = JSON.stringify({
    query: LIST,
    variables: { ids: Array.from({ length: 40 }, (_, i) => `S-${1001 + i}`) },
  });

  it("gzips a list with withheld fields to the very bytes a client without gzip gets", async () => {
    const plain = await post(list, "mgr.okafor", "identity");
    const zipped = await post(list, "mgr.okafor", "gzip, deflate, br");
    expect(plain.status).toBe(200);
    expect(zipped.status).toBe(200);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(Number(zipped.headers["content-length"])).toBe(zipped.bytes.length);
    expect(gunzipSync(zipped.bytes).equals(plain.bytes)).toBe(true);
    // Its bulk is the withheld fields' errors, the same sentences again: several times smaller.
    const answer = JSON.parse(plain.bytes.toString("utf8")) as { errors?: unknown[] };
    expect(answer.errors?.length).toBeGreaterThan(10);
    expect(zipped.bytes.length * 5).toBeLessThan(plain.bytes.length);
    for (const reply of [plain, zipped]) expect(reply.headers.vary).toMatch(/Accept-Encoding/);
    expect(zipped.headers["x-request-id"]).toBeTruthy();
    expect(zipped.headers["cache-control"]).toBe("no-store");
  });

  it("sends the short SubjectOverview as it is, asked for gzip or not", async () => {
    const body = JSON.stringify({
      query: contractOperation("SubjectOverview"),
      variables: { id: "S-1001" },
    });
    const reply = await post(body, "sw.patel", "gzip");
    expect(reply.status).toBe(200);
    expect(reply.headers["content-encoding"]).toBeUndefined();
    const answer = JSON.parse(reply.bytes.toString("utf8")) as { data?: unknown };
    expect(answer.data).toBeTruthy();
  });
});
