import { afterEach, describe, expect, it, vi } from "vitest";
import { fetchDevToken, parseDevUsers, parseEnquiries, probeIdentity } from "./api.ts";

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

describe("open enquiries", () => {
  const enquiry = { id: "ENQ-2001", rag: "RED", reason: "School reports a disclosure" };

  it("reads the list", () => {
    expect(parseEnquiries(200, { data: { enquiries: [enquiry] } })).toEqual({
      status: "ready",
      enquiries: [enquiry],
    });
  });

  it("offers the most urgent first, not the newest the hub lists first", () => {
    const amber = {
      id: "ENQ-2002",
      rag: "AMBER",
      reason: "Concern about contact from birth family",
      openedAt: "2026-11-21T14:00:00Z",
      dueBy: "2026-11-24T14:00:00Z",
      overdue: true,
    };
    const red = { ...enquiry, openedAt: "2026-11-20T09:15:00Z", dueBy: "2026-11-20T13:15:00Z" };
    const parsed = parseEnquiries(200, { data: { enquiries: [amber, red] } });
    expect(parsed).toEqual({ status: "ready", enquiries: [red, amber] });
  });

  it("says so when the sharing rules withhold the list", () => {
    const body = {
      data: null,
      errors: [
        {
          message:
            "The sharing agreement does not give your role this part of the MASH hub's data.",
          path: ["enquiries"],
          extensions: {
            code: "UNAUTHORIZED_FIELD_OR_TYPE",
            rule: "default-deny",
            reason: "Ask the MASH hub.",
          },
        },
      ],
    };
    expect(parseEnquiries(200, body)).toEqual({ status: "withheld", message: "Ask the MASH hub." });
  });

  it("passes on any other failure", () => {
    expect(parseEnquiries(401, { errors: [{ message: "Sign in" }] })).toEqual({
      status: "error",
      message: "Sign in",
    });
    expect(parseEnquiries(502, undefined)).toMatchObject({ status: "error" });
  });
});
