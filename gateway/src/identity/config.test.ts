import { describe, expect, it } from "vitest";
import { loadIdentityConfig } from "./config.ts";

const provider = {
  MASH_AUTH_ISSUER: "https://login.example-council.gov.uk",
  MASH_AUTH_JWKS_URL: "https://login.example-council.gov.uk/jwks.json",
};

const modeOf = (env: Record<string, string | undefined>) => loadIdentityConfig(env).mode;

describe("whether the gateway offers development sign-in", () => {
  // Development as it always was: without an issuer, whatever NODE_ENV says short of production.
  it.each([
    ["unset", {}],
    ["development", { NODE_ENV: "development" }],
    ["test", { NODE_ENV: "test" }],
    ["empty", { NODE_ENV: "" }],
  ])("offers it without an issuer when NODE_ENV is %s", (_, env) => {
    expect(modeOf(env)).toBe("development");
  });

  it("refuses to start in production without an issuer, naming both settings", () => {
    const start = () => loadIdentityConfig({ NODE_ENV: "production" });
    expect(start).toThrow(/^MASH_AUTH_ISSUER: is required when NODE_ENV is production/);
    expect(start).toThrow(/MASH_DEV_SIGN_IN=true/);
  });

  it("offers it in production only when MASH_DEV_SIGN_IN=true asks for it", () => {
    expect(modeOf({ NODE_ENV: "production", MASH_DEV_SIGN_IN: "true" })).toBe("development");
  });

  it.each([
    ["development", {}],
    ["production", { NODE_ENV: "production" }],
  ])("trusts the identity provider when one is configured (%s)", (_, env) => {
    expect(modeOf({ ...env, ...provider })).toBe("external");
    expect(modeOf({ ...env, ...provider, MASH_DEV_SIGN_IN: "false" })).toBe("external");
  });

  it("refuses MASH_DEV_SIGN_IN=false without an issuer: nobody could sign in", () => {
    expect(() => loadIdentityConfig({ MASH_DEV_SIGN_IN: "false" })).toThrow(
      /^MASH_AUTH_ISSUER: is not set and MASH_DEV_SIGN_IN is false/,
    );
  });

  it("refuses MASH_DEV_SIGN_IN=true beside an issuer: one way of signing in, not two", () => {
    expect(() =>
      loadIdentityConfig({ NODE_ENV: "production", ...provider, MASH_DEV_SIGN_IN: "true" }),
    ).toThrow(/^MASH_DEV_SIGN_IN: is true but MASH_AUTH_ISSUER is set/);
  });

  it.each(["yes", "1", "TRUE"])("refuses MASH_DEV_SIGN_IN=%s, naming the setting", (raw) => {
    expect(() => loadIdentityConfig({ NODE_ENV: "production", MASH_DEV_SIGN_IN: raw })).toThrow(
      `MASH_DEV_SIGN_IN: "${raw}" is neither true nor false`,
    );
  });
});
