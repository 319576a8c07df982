import { describe, expect, it } from "vitest";
import { parseAuthConfig } from "./auth-config.ts";

describe("GET /auth/config's answer", () => {
  it("reads each mode", () => {
    expect(parseAuthConfig({ mode: "development" })).toEqual({ mode: "development" });
    expect(parseAuthConfig({ mode: "external" })).toEqual({ mode: "external" });
    expect(
      parseAuthConfig({
        mode: "oidc",
        issuer: "https://idp.example.gov.uk",
        clientId: "mash",
        scopes: "openid",
        claims: { roles: "groups" },
      }),
    ).toEqual({
      mode: "oidc",
      issuer: "https://idp.example.gov.uk",
      clientId: "mash",
      scopes: "openid",
      claims: { name: "name", agency: "agency", roles: "groups" },
    });
  });

  it.each([
    [[], /not answer a JSON object/],
    [{ mode: "magic" }, /unknown mode "magic"/],
    [
      { mode: "oidc", issuer: "https://idp.example.gov.uk" },
      /lacks the issuer, client id or scopes/,
    ],
  ])("refuses %o", (body, reason) => {
    expect(() => parseAuthConfig(body)).toThrow(reason);
  });
});
