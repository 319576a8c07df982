import type { Logger } from "@mash/kit";
import { describe, expect, it } from "vitest";
import { purposeFreshnessPlugin } from "./purpose-freshness.ts";

const silent = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Logger;

/** Runs the plugin's response hook for one answered operation; says what it did. */
async function answered(operation: "query" | "mutation", data: Record<string, unknown> | null) {
  const calls: string[] = [];
  const plugin = purposeFreshnessPlugin({
    forget: () => calls.push("forget"),
    announce: async () => {
      calls.push("announce");
    },
    logger: silent,
  });
  const hooks = await plugin.requestDidStart?.({} as never);
  await hooks?.willSendResponse?.({
    operation: { operation },
    contextValue: { requestId: "r" },
    response: { body: { kind: "single", singleResult: { data } } },
  } as never);
  return calls;
}

describe("purposes after a mutation", () => {
  it("are forgotten here and announced to the other gateways when a mutation did something", async () => {
    expect(await answered("mutation", { closeEnquiry: { id: "E", status: "CLOSED" } })).toEqual([
      "forget",
      "announce",
    ]);
  });

  it("stay cached after a refused mutation and after a query", async () => {
    expect(await answered("mutation", { closeEnquiry: null })).toEqual([]);
    expect(await answered("mutation", null)).toEqual([]);
    expect(await answered("query", { enquiry: { id: "E" } })).toEqual([]);
  });
});
