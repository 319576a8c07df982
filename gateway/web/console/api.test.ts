import { afterEach, describe, expect, it, vi } from "vitest";
import { fetchOpenEnquiries, parseEnquiries } from "./api.ts";

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("open enquiries", () => {
  const enquiry = { id: "ENQ-2001", rag: "RED", reason: "School reports a disclosure" };

  it("reads the list", () => {
    expect(parseEnquiries({ enquiries: [enquiry] }, [])).toEqual({
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
    const parsed = parseEnquiries({ enquiries: [amber, red] }, []);
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
    expect(parseEnquiries(body.data, body.errors)).toEqual({
      status: "withheld",
      message: "Ask the MASH hub.",
    });
  });

  it("passes on any other failure, the gateway's refusal included", async () => {
    expect(parseEnquiries(null, [{ message: "Internal error" }])).toEqual({
      status: "error",
      message: "Internal error",
    });
    expect(parseEnquiries(undefined, [])).toMatchObject({ status: "error" });
    vi.stubGlobal("fetch", async () =>
      Response.json(
        { errors: [{ message: "Sign in", extensions: { code: "UNAUTHENTICATED" } }] },
        { status: 401 },
      ),
    );
    await expect(fetchOpenEnquiries("Bearer old")).resolves.toEqual({
      status: "error",
      message: "Sign in (UNAUTHENTICATED)",
    });
  });

  it("asks /graphql with the signed-in user's token", async () => {
    const seen: { url: string; authorization: string | null }[] = [];
    vi.stubGlobal("fetch", async (url: string, init: RequestInit) => {
      seen.push({ url, authorization: new Headers(init.headers).get("authorization") });
      return Response.json({ data: { enquiries: [enquiry] } });
    });
    await expect(fetchOpenEnquiries("Bearer jwt")).resolves.toEqual({
      status: "ready",
      enquiries: [enquiry],
    });
    expect(seen).toEqual([{ url: "/graphql", authorization: "Bearer jwt" }]);
  });
});
