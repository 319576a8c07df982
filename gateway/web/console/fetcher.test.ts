import { afterEach, describe, expect, it, vi } from "vitest";
import { MIN_BREAK_GLASS_REASON as GATEWAY_MINIMUM } from "../../src/pipeline/use-purpose.ts";
import {
  breakGlassHeader,
  createFetcher,
  MIN_BREAK_GLASS_REASON,
  type Purpose,
  type RequestReport,
  requestHeaders,
} from "./fetcher.ts";
import { returnedBy } from "./returned-ids.ts";

const REASON = "Child at immediate risk; duty manager approved";
const none: Purpose = { enquiry: "", breakGlass: "" };

afterEach(() => {
  vi.unstubAllGlobals();
});

function stubFetch(
  status = 200,
  body: unknown = { data: { __typename: "Query" } },
  headers: Record<string, string> = {},
) {
  const calls: { url: string; init: RequestInit }[] = [];
  vi.stubGlobal("fetch", async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(JSON.stringify(body), { status, headers });
  });
  return calls;
}

const sentVariables = (call: { init: RequestInit } | undefined) =>
  JSON.parse(String(call?.init.body)).variables;

describe("break-glass header", () => {
  it("uses the gateway's own minimum", () => {
    expect(MIN_BREAK_GLASS_REASON).toBe(GATEWAY_MINIMUM);
  });

  it("is sent only once the reason, trimmed, reaches the minimum", () => {
    expect(breakGlassHeader("")).toEqual({ send: false });
    expect(breakGlassHeader(`   ${"x".repeat(MIN_BREAK_GLASS_REASON - 1)}   `)).toEqual({
      send: false,
    });
    expect(breakGlassHeader(` ${"x".repeat(MIN_BREAK_GLASS_REASON)} `)).toEqual({
      send: true,
      value: "x".repeat(MIN_BREAK_GLASS_REASON),
    });
  });

  it("turns typographic punctuation into characters an HTTP header can carry", () => {
    expect(breakGlassHeader("Child’s “safety” – urgent… now")).toEqual({
      send: true,
      value: `Child's "safety" - urgent... now`,
    });
  });

  it("refuses characters fetch could not send instead of failing every request", () => {
    const header = breakGlassHeader("Immediate risk to the child 🚨 tonight");
    expect(header.send).toBe(false);
    expect(header.send === false && header.problem).toMatch(/🚨/);
  });
});

describe("request headers", () => {
  it("adds the token and the pickers' purpose", () => {
    const headers = requestHeaders("Bearer abc", { enquiry: "ENQ-2001", breakGlass: REASON });
    expect(headers.get("authorization")).toBe("Bearer abc");
    expect(headers.get("x-mash-enquiry")).toBe("ENQ-2001");
    expect(headers.get("x-mash-break-glass")).toBe(REASON);
    expect(headers.get("content-type")).toBe("application/json");
  });

  it("leaves out what is not chosen, including a reason that is too short", () => {
    const headers = requestHeaders(undefined, { enquiry: " ", breakGlass: "too short" });
    expect(headers.has("authorization")).toBe(false);
    expect(headers.has("x-mash-enquiry")).toBe(false);
    expect(headers.has("x-mash-break-glass")).toBe(false);
  });

  it("lets headers typed in the Headers editor win, whatever their case", () => {
    const headers = requestHeaders(
      "Bearer picked",
      { enquiry: "ENQ-2001", breakGlass: "" },
      { Authorization: "Bearer typed", "X-MASH-Enquiry": "ENQ-2002" },
    );
    expect(headers.get("authorization")).toBe("Bearer typed");
    expect(headers.get("x-mash-enquiry")).toBe("ENQ-2002");
  });
});

describe("console fetcher", () => {
  it("POSTs to /graphql with the purpose read at request time", async () => {
    const calls = stubFetch();
    let purpose: Purpose = none;
    const fetcher = createFetcher({ authorization: "Bearer abc", purpose: () => purpose });
    purpose = { enquiry: "ENQ-2001", breakGlass: "" };
    await expect(fetcher({ query: "{ __typename }" })).resolves.toEqual({
      data: { __typename: "Query" },
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe("/graphql");
    const headers = calls[0]?.init.headers as Headers;
    expect(headers.get("x-mash-enquiry")).toBe("ENQ-2001");
    expect(headers.get("authorization")).toBe("Bearer abc");
  });

  it("states no purpose and breaks no glass when GraphiQL reads the schema", async () => {
    const calls = stubFetch();
    const purpose = { enquiry: "ENQ-2001", breakGlass: REASON };
    const fetcher = createFetcher({ authorization: "Bearer abc", purpose: () => purpose });
    await fetcher({
      query: "{ __schema { types { name } } }",
      operationName: "IntrospectionQuery",
    });
    const headers = calls[0]?.init.headers as Headers;
    expect(headers.get("authorization")).toBe("Bearer abc");
    expect(headers.has("x-mash-enquiry")).toBe(false);
    expect(headers.has("x-mash-break-glass")).toBe(false);
  });

  it("answers locally, sending nothing, when nobody is signed in", async () => {
    const calls = stubFetch();
    const fetcher = createFetcher({
      authorization: undefined,
      purpose: () => none,
      signInFirst: "Sign in",
    });
    await expect(fetcher({ query: "{ __typename }" })).resolves.toEqual({
      errors: [{ message: "Sign in" }],
    });
    expect(calls).toHaveLength(0);
    await fetcher({ query: "{ __typename }" }, { headers: { authorization: "Bearer own" } });
    expect(calls).toHaveLength(1);
  });

  it("reports a typed Authorization header once the gateway accepts it", async () => {
    const seen: string[] = [];
    const options = {
      authorization: undefined,
      purpose: () => none,
      onTypedAuthorization: (value: string) => seen.push(value),
    };
    stubFetch(401, { errors: [{ message: "bad token" }] });
    await createFetcher(options)({ query: "{ a }" }, { headers: { Authorization: "Bearer old" } });
    stubFetch();
    await createFetcher(options)({ query: "{ a }" }, { headers: { Authorization: "Bearer new" } });
    expect(seen).toEqual(["Bearer new"]);
    const known = createFetcher({ ...options, typedAuthorization: "Bearer new" });
    await known({ query: "{ a }" }, { headers: { Authorization: "Bearer new" } });
    expect(seen).toEqual(["Bearer new"]);
  });

  it("shows a non-JSON answer instead of hanging", async () => {
    vi.stubGlobal("fetch", async () => new Response("<h1>Bad gateway</h1>", { status: 502 }));
    const fetcher = createFetcher({ authorization: "Bearer abc", purpose: () => none });
    const result = (await fetcher({ query: "{ a }" })) as unknown as {
      errors: { message: string }[];
    };
    expect(result.errors[0]?.message).toMatch(/^HTTP 502 .*Bad gateway/);
  });

  it("reports each answer's X-Request-Id and HTTP status, error answers too", async () => {
    const reports: RequestReport[] = [];
    const fetcher = createFetcher({
      authorization: "Bearer abc",
      purpose: () => none,
      onReport: (report) => reports.push(report),
    });
    stubFetch(200, { data: { a: 1 } }, { "x-request-id": "rid-ok" });
    await fetcher({ query: "query A { a }", operationName: "A" });
    stubFetch(403, { errors: [{ message: "refused" }] }, { "x-request-id": "rid-refused" });
    await fetcher({ query: "query B { b }", operationName: "B" });
    stubFetch(502, { errors: [{ message: "no id" }] });
    await fetcher({ query: "{ c }" });
    expect(reports).toEqual([
      { kind: "answered", operationName: "A", requestId: "rid-ok", status: 200, filled: [] },
      { kind: "answered", operationName: "B", requestId: "rid-refused", status: 403, filled: [] },
      { kind: "answered", operationName: undefined, requestId: undefined, status: 502, filled: [] },
    ]);
  });

  it("reports nothing for GraphiQL's schema reads, and says when it sent nothing", async () => {
    const reports: RequestReport[] = [];
    const onReport = (report: RequestReport) => reports.push(report);
    stubFetch(200, { data: {} }, { "x-request-id": "rid-schema" });
    await createFetcher({ authorization: "Bearer abc", purpose: () => none, onReport })({
      query: "{ __schema { types { name } } }",
      operationName: "IntrospectionQuery",
    });
    expect(reports).toEqual([]);
    await createFetcher({
      authorization: undefined,
      purpose: () => none,
      signInFirst: "Sign in",
      onReport,
    })({ query: "query A { a }", operationName: "A" });
    expect(reports).toEqual([
      { kind: "not-sent", operationName: "A", reason: "nobody is signed in" },
    ]);
  });

  it("fills in the id an earlier step returned, across sign-ins, and says which it filled", async () => {
    const returnedIds = new Map<string, string>();
    const reports: RequestReport[] = [];
    const options = {
      purpose: () => none,
      returnedIds,
      onReport: (r: RequestReport) => reports.push(r),
    };
    stubFetch(200, { data: { recordContact: { id: "CON-7" } } });
    await createFetcher({ ...options, authorization: "Bearer police" })({
      query: "mutation RecordContact { recordContact { id } }",
      operationName: "RecordContact",
    });
    const calls = stubFetch(200, { data: { screenContact: { id: "CON-7" } } });
    await createFetcher({ ...options, authorization: "Bearer social-worker" })({
      query: "mutation ScreenContact($id: ID!) { screenContact(id: $id) { id } }",
      operationName: "ScreenContact",
      variables: { id: returnedBy("RecordContact"), reason: "kept as typed" },
    });
    expect(sentVariables(calls[0])).toEqual({ id: "CON-7", reason: "kept as typed" });
    expect(reports.at(-1)).toMatchObject({ filled: [{ step: "RecordContact", id: "CON-7" }] });
  });

  it("sends nothing while a step it needs has not returned an id, and says which to run", async () => {
    const calls = stubFetch();
    const reports: RequestReport[] = [];
    const fetcher = createFetcher({
      authorization: "Bearer abc",
      purpose: () => none,
      returnedIds: new Map(),
      onReport: (report) => reports.push(report),
    });
    const result = (await fetcher({
      query: "mutation ScreenContact($id: ID!) { screenContact(id: $id) { id } }",
      operationName: "ScreenContact",
      variables: { id: returnedBy("RecordContact") },
    })) as unknown as { errors: { message: string }[] };
    expect(calls).toHaveLength(0);
    expect(result.errors[0]?.message).toMatch(/run the RecordContact tab first/);
    expect(reports).toEqual([
      { kind: "not-sent", operationName: "ScreenContact", reason: "run RecordContact first" },
    ]);
  });

  it("sends the open tab's operation name when GraphiQL still has the tab before's", async () => {
    const calls = stubFetch();
    const fetcher = createFetcher({ authorization: "Bearer abc", purpose: () => none });
    await fetcher({
      query: "# In this console: sign in as sw.patel\nquery FindSubject { a }",
      operationName: "SubjectOverview",
    });
    expect(JSON.parse(String(calls[0]?.init.body)).operationName).toBe("FindSubject");
  });
});
