import { afterEach, describe, expect, it, vi } from "vitest";
import { fetchDevToken, parseDevUsers, probeIdentity } from "./dev-sign-in.ts";

afterEach(() => {
  vi.unstubAllGlobals();
});

const patel = {
  username: "sw.patel",
  name: "Priya Patel",
  agency: "childrens-services",
  roles: ["social_worker"],
};

describe("development sign-in", () => {
  it("lists well-formed users and skips anything else", () => {
    expect(parseDevUsers({ users: [patel, { username: "x" }, null] })).toEqual([patel]);
    expect(() => parseDevUsers({ people: [] })).toThrow(/list of users/);
  });

  it("treats a 404 from /dev/users as an external identity provider", async () => {
    vi.stubGlobal("fetch", async () => new Response("{}", { status: 404 }));
    await expect(probeIdentity()).resolves.toEqual({ mode: "external" });
  });

  it("reports a gateway it cannot use rather than guessing the mode", async () => {
    vi.stubGlobal("fetch", async () => new Response("", { status: 503 }));
    await expect(probeIdentity()).resolves.toMatchObject({ mode: "unavailable" });
    vi.stubGlobal("fetch", async () => {
      throw new TypeError("Failed to fetch");
    });
    await expect(probeIdentity()).resolves.toMatchObject({
      mode: "unavailable",
      message: expect.stringMatching(/Failed to fetch/),
    });
  });

  it("lists development users when /dev/users answers", async () => {
    vi.stubGlobal("fetch", async (url: string) =>
      url === "/auth/config"
        ? new Response("", { status: 404 })
        : Response.json({ users: [patel] }),
    );
    await expect(probeIdentity()).resolves.toEqual({ mode: "development", users: [patel] });
    vi.stubGlobal("fetch", async (url: string) =>
      url === "/auth/config"
        ? Response.json({ mode: "development" })
        : Response.json({ users: [patel] }),
    );
    await expect(probeIdentity()).resolves.toEqual({ mode: "development", users: [patel] });
  });

  it("signs in through the identity provider when /auth/config names one", async () => {
    const asked: string[] = [];
    vi.stubGlobal("fetch", async (url: string) => {
      asked.push(url);
      return Response.json({
        mode: "oidc",
        issuer: "https://idp.example.gov.uk",
        clientId: "mash-console",
        scopes: "openid profile offline_access",
        claims: { name: "name", agency: "agency", roles: "roles" },
      });
    });
    await expect(probeIdentity()).resolves.toEqual({
      mode: "oidc",
      config: {
        issuer: "https://idp.example.gov.uk",
        clientId: "mash-console",
        scopes: "openid profile offline_access",
        claims: { name: "name", agency: "agency", roles: "roles" },
      },
    });
    // The development routes are not even asked.
    expect(asked).toEqual(["/auth/config"]);
    vi.stubGlobal("fetch", async () => Response.json({ mode: "external" }));
    await expect(probeIdentity()).resolves.toEqual({ mode: "external" });
  });

  it("fetches a token, and passes on the gateway's reason for refusing one", async () => {
    vi.stubGlobal("fetch", async (_url: string, init: RequestInit) =>
      JSON.parse(String(init.body)).username === "sw.patel"
        ? Response.json({ token: "jwt" })
        : Response.json({ error: 'No development user "nobody".' }, { status: 400 }),
    );
    await expect(fetchDevToken("sw.patel")).resolves.toBe("jwt");
    await expect(fetchDevToken("nobody")).rejects.toThrow('No development user "nobody".');
  });
});
