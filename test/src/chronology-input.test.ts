import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSystem, type TestSystem } from "./system.ts";

/**
 * Subject.chronology read as graphql would read the request: declared variables with their
 * defaults, one operation of several, each chronology once per name, and the expansion held
 * to the same limits as the client's own query. Bad input is a 400 naming it, never a 500.
 */
describe("Subject.chronology and the request as written", () => {
  let sys: TestSystem;
  const who = { as: "mgr.okafor", enquiry: "ENQ-2001" };
  type Entry = { at?: string; agency: string };
  type Body = { subject: { chronology: Entry[] | null } | null };

  beforeAll(async () => {
    sys = await startSystem({ subjects: 20 });
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it("applies a variable's default to @skip and to agencies", async () => {
    const skipped = await sys.query<Body>(
      `query($s: Boolean = true, $a: [String!] = ["health"]) {
        subject(id: "S-1001") { chronology(agencies: $a) { at @skip(if: $s) agency } }
      }`,
      {},
      who,
    );
    expect(skipped.status).toBe(200);
    const entries = skipped.body.data?.subject?.chronology ?? [];
    expect(entries.length).toBeGreaterThan(0);
    expect(new Set(entries.map((e) => e.agency))).toEqual(new Set(["health"]));
    expect(entries.every((e) => !("at" in e))).toBe(true);
  });

  it("expands the operation asked for, whichever other operation the document holds", async () => {
    const text = `query A { subject(id: "S-1001") { id } }
      query B { subject(id: "S-1001") { chronology { at agency } } }`;
    const headers = await sys.headersFor(who);
    const send = async (operationName: string, query = text) => {
      const response = await fetch(sys.gatewayUrl, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ query, operationName }),
      });
      return {
        status: response.status,
        body: (await response.json()) as { data?: Body; errors?: unknown[] },
      };
    };
    expect((await send("A")).status).toBe(200);
    // The same text again, now naming the operation with the chronology: expanded, not withheld.
    const b = await send("B");
    expect(b.status).toBe(200);
    expect(b.body.data?.subject?.chronology?.length).toBeGreaterThan(0);
    // Exactly what B alone, in a document of its own, is answered.
    const alone = await send("B", `query B { subject(id: "S-1001") { chronology { at agency } } }`);
    const unlocated = (body: { data?: Body; errors?: unknown[] }) => ({
      data: body.data,
      errors: (body.errors ?? []).map((e) => ({ ...(e as object), locations: undefined })),
    });
    expect(unlocated(b.body)).toEqual(unlocated(alone.body));
  });

  it("refuses a second chronology under the same name, and the gateway's aliases", async () => {
    for (const query of [
      `{ subject(id: "S-1001") { chronology { at } chronology { agency } } }`,
      `{ subject(id: "S-1001") { chronology { __chronology_at: at } } }`,
    ]) {
      const refused = await sys.query(query, {}, who);
      expect(refused.status).toBe(400);
      expect(refused.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    }
  });

  it("holds the expansion to the alias limit: each chronology reads every agency's list", async () => {
    const many = Array.from({ length: 3 }, (_, i) => `c${i}: chronology { at }`).join(" ");
    const refused = await sys.query(`{ subject(id: "S-1001") { ${many} } }`, {}, who);
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({
      code: "QUERY_TOO_COMPLEX",
      limit: "aliases",
    });
    const one = await sys.query(`{ subject(id: "S-1001") { c0: chronology { at } } }`, {}, who);
    expect(one.status).toBe(200);
  });
});
