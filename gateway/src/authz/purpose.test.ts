import { describe, expect, it } from "vitest";
import type { SubgraphTransport } from "../transport/subgraph-transport.ts";
import { createPurposeResolver, MAX_REMEMBERED_ENQUIRIES, PurposeError } from "./purpose.ts";

/** A hub that holds ENQ-1 ... ENQ-n (any number) and counts the lookups it answers. */
function fakeHub() {
  const asked: string[] = [];
  let failing = false;
  const transport = {
    async fetch(_url: string, init?: { body?: unknown }) {
      if (failing) throw new Error("down");
      const { variables } = JSON.parse(String(init?.body)) as { variables: { id: string } };
      asked.push(variables.id);
      const known = /^ENQ-\d+$/.test(variables.id);
      const enquiry = known
        ? {
            id: variables.id,
            status: "OPEN",
            subjects: [{ id: "S-1" }],
            lead: "mash",
            research: [],
          }
        : null;
      return new Response(JSON.stringify({ data: { enquiry } }), {
        headers: { "content-type": "application/json" },
      });
    },
  } as unknown as SubgraphTransport;
  return {
    transport,
    asked,
    fail: (on: boolean) => {
      failing = on;
    },
  };
}

describe("the purpose resolver's memory", () => {
  it(`remembers ${MAX_REMEMBERED_ENQUIRIES} enquiries at most, dropping the least recently stated`, async () => {
    const hub = fakeHub();
    const resolve = createPurposeResolver({ hubUrl: "http://hub", transport: hub.transport });
    await resolve("ENQ-0");
    for (let i = 1; i < MAX_REMEMBERED_ENQUIRIES * 3; i++) {
      await resolve(`ENQ-${i}`);
      // Unknown ids are remembered too, within the same bound.
      await expect(resolve(`NOPE-${i}`)).rejects.toBeInstanceOf(PurposeError);
      await resolve("ENQ-0"); // stated all along: never the least recently used
    }
    expect(resolve.remembered()).toBe(MAX_REMEMBERED_ENQUIRIES);
    const before = hub.asked.length;
    await resolve("ENQ-0");
    await resolve(`ENQ-${MAX_REMEMBERED_ENQUIRIES * 3 - 1}`);
    expect(hub.asked.length).toBe(before); // both still remembered
    await resolve("ENQ-1"); // long dropped: asked again
    expect(hub.asked.slice(before)).toEqual(["ENQ-1"]);
    expect(resolve.remembered()).toBe(MAX_REMEMBERED_ENQUIRIES);
  });

  it("forgets a failed lookup, and only that one", async () => {
    const hub = fakeHub();
    const resolve = createPurposeResolver({
      hubUrl: "http://hub",
      transport: hub.transport,
      maxEnquiries: 4,
    });
    hub.fail(true);
    await expect(resolve("ENQ-1")).rejects.toMatchObject({ status: 503 });
    expect(resolve.remembered()).toBe(0);
    hub.fail(false);
    await resolve("ENQ-1");
    await resolve("ENQ-1");
    expect(hub.asked).toEqual(["ENQ-1"]);
    expect(resolve.remembered()).toBe(1);
  });
});
