import { describe, expect, it } from "vitest";
import {
  BadRequestError,
  createClient,
  FindSubjectDocument,
  ForbiddenError,
  MashRequestError,
  RateLimitedError,
  SubjectOverviewDocument,
  UnauthenticatedError,
} from "./index.ts";

interface Sent {
  url: string;
  headers: Record<string, string>;
  body: { query: string; operationName?: string; variables: Record<string, unknown> };
}

/** A fetch that answers one response and keeps what was sent, for the client's wire format. */
function stubFetch(status: number, body: string, headers: Record<string, string> = {}) {
  const sent: Sent[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    sent.push({
      url,
      headers: init.headers as Record<string, string>,
      body: JSON.parse(String(init.body)) as Sent["body"],
    });
    return new Response(body, { status, headers: { "x-request-id": "rid-123", ...headers } });
  }) as typeof globalThis.fetch;
  return { fetch, sent };
}

const refused = (code: string, message = "No.") =>
  JSON.stringify({ errors: [{ message, extensions: { code } }] });

describe("the client's requests and answers", () => {
  it("POSTs the printed operation with its name, variables, token and purpose headers", async () => {
    const { fetch, sent } = stubFetch(200, JSON.stringify({ data: { subject: null } }));
    const client = createClient({
      url: "https://mash.example/graphql",
      token: "t0k3n",
      enquiry: "ENQ-2001",
      breakGlass: "A written reason of enough characters",
      fetch,
    });
    const result = await client.request(SubjectOverviewDocument, { id: "S-1001" });
    expect(result).toEqual({ data: { subject: null }, errors: [], requestId: "rid-123" });
    const [request] = sent;
    expect(request?.url).toBe("https://mash.example/graphql");
    expect(request?.headers).toMatchObject({
      authorization: "Bearer t0k3n",
      "x-mash-enquiry": "ENQ-2001",
      "x-mash-break-glass": "A written reason of enough characters",
      "content-type": "application/json",
    });
    expect(request?.body.operationName).toBe("SubjectOverview");
    expect(request?.body.query).toMatch(/^query SubjectOverview\(\$id: ID!\)/);
    expect(request?.body.variables).toEqual({ id: "S-1001" });
  });

  it("sends no token or purpose headers it was not given; a request's own purpose wins", async () => {
    const { fetch, sent } = stubFetch(200, JSON.stringify({ data: { searchSubjects: [] } }));
    const client = createClient({ url: "/graphql", enquiry: "ENQ-2001", fetch });
    await client.request(FindSubjectDocument, { name: "Amelia Doe" }, { enquiry: "ENQ-2002" });
    expect(Object.keys(sent[0]?.headers ?? {}).sort()).toEqual([
      "accept",
      "content-type",
      "x-mash-enquiry",
    ]);
    expect(sent[0]?.headers["x-mash-enquiry"]).toBe("ENQ-2002");
  });

  it.each([
    [400, "BAD_USER_INPUT", BadRequestError],
    [401, "UNAUTHENTICATED", UnauthenticatedError],
    [403, "FORBIDDEN", ForbiddenError],
    [429, "RATE_LIMITED", RateLimitedError],
    [503, "AUDIT_UNAVAILABLE", MashRequestError],
  ] as const)("HTTP %i (%s) rejects with %o carrying the facts", async (status, code, kind) => {
    const { fetch } = stubFetch(status, refused(code, "Because."), { "retry-after": "12" });
    const client = createClient({ url: "/graphql", fetch });
    const error = await client.request(SubjectOverviewDocument, { id: "S-1" }).catch((e) => e);
    expect(error).toBeInstanceOf(kind);
    expect(error).toMatchObject({ status, code, message: "Because.", requestId: "rid-123" });
    if (error instanceof RateLimitedError) expect(error.retryAfterSeconds).toBe(12);
  });

  it("a body that is not a GraphQL response is a MashRequestError saying so", async () => {
    const { fetch } = stubFetch(502, "<html>Bad gateway</html>");
    const client = createClient({ url: "/graphql", fetch });
    const error = await client.request(SubjectOverviewDocument, { id: "S-1" }).catch((e) => e);
    expect(error).toBeInstanceOf(MashRequestError);
    expect(error.message).toBe(
      "The gateway answered HTTP 502 with a body that is not a GraphQL response.",
    );
  });

  it("refuses to be made without a URL, naming the option", () => {
    expect(() => createClient({ url: " " })).toThrow(/`url`/);
  });
});
