import { afterEach, describe, expect, it, vi } from "vitest";
import {
  enquiryLabelsQuery,
  fetchDevToken,
  fetchOpenEnquiries,
  MAX_LABELLED,
  OPEN_ENQUIRIES_QUERY,
  parseDevUsers,
  parseEnquiries,
  probeIdentity,
  withLabels,
} from "./api.ts";

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
    vi.stubGlobal("fetch", async () => Response.json({ users: [patel] }));
    await expect(probeIdentity()).resolves.toEqual({ mode: "development", users: [patel] });
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

  it("lists the enquiries the user's agency takes part in, by id", () => {
    const body = {
      data: {
        enquiries: [
          { id: "ENQ-2001", takesPart: true },
          { id: "ENQ-2003", takesPart: false },
          { id: "ENQ-2002", takesPart: true },
        ],
      },
    };
    expect(parseEnquiries(200, body)).toEqual({
      status: "ready",
      enquiries: [
        { id: "ENQ-2001", rag: "", reason: "" },
        { id: "ENQ-2002", rag: "", reason: "" },
      ],
    });
  });

  it("asks each one's rating and reason by its own alias, so one refusal loses one label", () => {
    expect(enquiryLabelsQuery(2)).toBe(
      "query ConsoleEnquiryLabels($e0: ID!, $e1: ID!) { e0: enquiry(id: $e0) { id rag reason } e1: enquiry(id: $e1) { id rag reason } }",
    );
    const bare = [
      { id: "ENQ-2001", rag: "", reason: "" },
      { id: "ENQ-2002", rag: "", reason: "" },
    ];
    const body = {
      data: { e0: enquiry, e1: null },
      errors: [{ path: ["e1", "reason"], extensions: { code: "UNAUTHORIZED_FIELD_OR_TYPE" } }],
    };
    expect(withLabels(bare, body)).toEqual([enquiry, bare[1]]);
    // An answer for another id (the list changed in between) labels nothing.
    expect(withLabels(bare, { data: { e0: { ...enquiry, id: "ENQ-9" } } })).toEqual(bare);
  });

  it("fetches the list, then the labels of the first ones, and keeps the ids if labels fail", async () => {
    const sent: { query: string; variables?: Record<string, unknown> }[] = [];
    vi.stubGlobal("fetch", async (_url: string, init: RequestInit) => {
      const request = JSON.parse(String(init.body));
      sent.push(request);
      if (request.query === OPEN_ENQUIRIES_QUERY)
        return Response.json({
          data: {
            enquiries: Array.from({ length: MAX_LABELLED + 1 }, (_, i) => ({
              id: `ENQ-${i}`,
              takesPart: true,
            })),
          },
        });
      return Response.json({ data: { e0: { id: "ENQ-0", rag: "AMBER", reason: "Concern" } } });
    });
    const list = await fetchOpenEnquiries("Bearer t");
    expect(sent).toHaveLength(2);
    expect(Object.keys(sent[1]?.variables ?? {})).toHaveLength(MAX_LABELLED);
    expect(list).toMatchObject({ status: "ready" });
    const items = list.status === "ready" ? list.enquiries : [];
    expect(items).toHaveLength(MAX_LABELLED + 1);
    expect(items[0]).toEqual({ id: "ENQ-0", rag: "AMBER", reason: "Concern" });
    expect(items[1]).toEqual({ id: "ENQ-1", rag: "", reason: "" });

    vi.stubGlobal("fetch", async (_url: string, init: RequestInit) => {
      if (JSON.parse(String(init.body)).query === OPEN_ENQUIRIES_QUERY)
        return Response.json({ data: { enquiries: [{ id: "ENQ-7", takesPart: true }] } });
      throw new TypeError("Failed to fetch");
    });
    await expect(fetchOpenEnquiries("Bearer t")).resolves.toEqual({
      status: "ready",
      enquiries: [{ id: "ENQ-7", rag: "", reason: "" }],
    });
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
