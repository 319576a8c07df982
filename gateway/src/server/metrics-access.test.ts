import { describe, expect, it } from "vitest";
import { metricsAccessFrom } from "./metrics-access.ts";

describe("who may read /metrics", () => {
  it("is no one by default: no credential, no operator address", () => {
    expect(metricsAccessFrom({})).toEqual({ token: undefined, address: undefined });
  });

  it("reads the operator's credential and address", () => {
    const token = "a".repeat(32);
    expect(
      metricsAccessFrom({ MASH_METRICS_TOKEN: token, MASH_METRICS_ADDRESS: "127.0.0.1:9464" }),
    ).toEqual({ token, address: { host: "127.0.0.1", port: 9464 } });
  });

  it("refuses a credential too short to be one, and an address it cannot read, naming them", () => {
    expect(() => metricsAccessFrom({ MASH_METRICS_TOKEN: "secret" })).toThrow(
      /MASH_METRICS_TOKEN: has 6 characters; an operator credential has at least 32/,
    );
    for (const bad of ["9464", "localhost", "host:99999", ":9464", "a b:1"])
      expect(() => metricsAccessFrom({ MASH_METRICS_ADDRESS: bad }), bad).toThrow(
        /MASH_METRICS_ADDRESS: ".*" is not host:port/,
      );
  });
});
