import { describe, expect, it } from "vitest";
import { breakGlassHeader, MIN_BREAK_GLASS_REASON } from "./break-glass.ts";
import { createClient } from "./client.ts";
import { SubjectOverviewDocument } from "./generated/operations.ts";

describe("breakGlassHeader", () => {
  it("is sent only once the reason, trimmed, reaches the minimum", () => {
    expect(breakGlassHeader(`  ${"x".repeat(MIN_BREAK_GLASS_REASON - 1)}  `)).toEqual({
      send: false,
    });
    expect(breakGlassHeader(` ${"x".repeat(MIN_BREAK_GLASS_REASON)} `)).toEqual({
      send: true,
      value: "x".repeat(MIN_BREAK_GLASS_REASON),
    });
  });

  it("turns a textarea's line breaks and curly punctuation into what a header carries", () => {
    expect(breakGlassHeader("Child’s “safety” – urgent…\r\n\tduty manager agreed\n")).toEqual({
      send: true,
      value: `Child's "safety" - urgent... duty manager agreed`,
    });
  });

  it("names the characters no header can carry", () => {
    const header = breakGlassHeader("Immediate risk to the child 🚨 tonight");
    expect(header.send === false && header.problem).toMatch(/🚨/);
  });
});

describe("createClient and break glass", () => {
  const sent: Headers[] = [];
  const client = createClient({
    url: "http://gateway.test/graphql",
    fetch: async (_url, init) => {
      sent.push(new Headers(init?.headers));
      return new Response(JSON.stringify({ data: { subject: null } }), { status: 200 });
    },
  });

  it("sends a reason typed over two lines with curly quotes, made plain", async () => {
    sent.length = 0;
    await client.request(
      SubjectOverviewDocument,
      { id: "P-1" },
      { breakGlass: "The child’s “new address”\nis needed for tonight’s visit" },
    );
    expect(sent[0]?.get("x-mash-break-glass")).toBe(
      `The child's "new address" is needed for tonight's visit`,
    );
  });

  it("refuses, before sending, a reason that is too short or cannot be sent", async () => {
    sent.length = 0;
    await expect(
      client.request(SubjectOverviewDocument, { id: "P-1" }, { breakGlass: "too short" }),
    ).rejects.toThrow(/at least 20 characters/);
    await expect(
      client.request(
        SubjectOverviewDocument,
        { id: "P-1" },
        { breakGlass: "Immediate risk to the child 🚨 tonight" },
      ),
    ).rejects.toThrow(/Remove 🚨/);
    expect(sent).toHaveLength(0);
  });
});
