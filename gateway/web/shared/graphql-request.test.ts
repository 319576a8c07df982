import { describe, expect, it } from "vitest";
import { ApiError } from "./api-error.ts";
import { graphqlAnswer, graphqlRequest } from "./graphql-request.ts";

interface Sent {
  readonly url: string;
  readonly headers: Headers;
  readonly body: { query: string; operationName?: string; variables: unknown };
}

function fakeFetch(answer: () => Response | Promise<Response>) {
  const sent: Sent[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    sent.push({ url, headers: new Headers(init.headers), body: JSON.parse(String(init.body)) });
    return answer();
  }) as typeof globalThis.fetch;
  return { sent, fetch };
}

const ME = "query GovernanceMe { me { id } }";
const request = (fetch: typeof globalThis.fetch, signal?: AbortSignal) => ({
  endpoint: "/governance/graphql",
  authorization: "Bearer jwt-1",
  query: ME,
  variables: { first: 1 },
  fetch,
  signal,
});

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe("the apps' one GraphQL request", () => {
  it("posts the operation with the token once, and returns the data", async () => {
    const { sent, fetch } = fakeFetch(() => Response.json({ data: { me: { id: "ig.police" } } }));
    await expect(graphqlRequest(request(fetch))).resolves.toEqual({ me: { id: "ig.police" } });
    expect(sent).toHaveLength(1);
    expect(sent[0]?.url).toBe("/governance/graphql");
    expect(sent[0]?.headers.get("authorization")).toBe("Bearer jwt-1");
    expect(sent[0]?.body).toMatchObject({ operationName: "GovernanceMe", variables: { first: 1 } });
  });

  it("turns any GraphQL error into an ApiError with every problem and the request id", async () => {
    const { fetch } = fakeFetch(() =>
      Response.json(
        {
          data: null,
          errors: [{ message: "You proposed this version", extensions: { code: "FORBIDDEN" } }],
        },
        { headers: { "x-request-id": "req-9" } },
      ),
    );
    const error = await failure(graphqlRequest(request(fetch)));
    expect(error.problems).toEqual([{ message: "You proposed this version", code: "FORBIDDEN" }]);
    expect(error.status).toBe(200);
    expect(error.requestId).toBe("req-9");
    expect(error.message).toBe("You proposed this version (FORBIDDEN)");
  });

  it("hands a partial answer, withheld fields and all, to a caller that reads them", async () => {
    const errors = [{ message: "Withheld", extensions: { code: "UNAUTHORIZED_FIELD_OR_TYPE" } }];
    const { fetch } = fakeFetch(() => Response.json({ data: { enquiries: [] }, errors }));
    await expect(graphqlAnswer(request(fetch))).resolves.toMatchObject({
      data: { enquiries: [] },
      errors,
    });
  });

  it("reads a refusal without data (401) as the same ApiError", async () => {
    const { fetch } = fakeFetch(() =>
      Response.json(
        { errors: [{ message: "Sign in again", extensions: { code: "UNAUTHENTICATED" } }] },
        { status: 401, headers: { "x-request-id": "req-3" } },
      ),
    );
    const error = await failure(graphqlAnswer(request(fetch)));
    expect(error.problems).toEqual([{ message: "Sign in again", code: "UNAUTHENTICATED" }]);
    expect(error.status).toBe(401);
    expect(error.requestId).toBe("req-3");
  });

  it("says plainly when the endpoint is not served, answered nonsense, or was not reached", async () => {
    const missing = fakeFetch(() => Response.json({ error: "Not found" }, { status: 404 }));
    expect((await failure(graphqlRequest(request(missing.fetch)))).message).toBe(
      "This gateway does not serve /governance/graphql (HTTP 404) (HTTP_404)",
    );
    const broken = fakeFetch(() => new Response("<html>", { status: 502 }));
    expect((await failure(graphqlRequest(request(broken.fetch)))).message).toMatch(/HTTP 502/);
    // fetch's own words are never shown: a browser may quote the header it could not send.
    const down = fakeFetch(() =>
      Promise.reject(new TypeError("Invalid header value: Bearer eyJhbGciOi.secret")),
    );
    const unreachable = (await failure(graphqlRequest(request(down.fetch)))).message;
    expect(unreachable).toBe("Could not reach the gateway: check the connection and try again.");
    expect(unreachable).not.toContain("eyJ");
    const empty = fakeFetch(() => Response.json({ data: null }));
    expect((await failure(graphqlRequest(request(empty.fetch)))).problems[0]?.code).toBe("NO_DATA");
  });

  it("lets an abort through as an abort, for the caller to drop", async () => {
    const controller = new AbortController();
    const { fetch } = fakeFetch(() => {
      controller.abort();
      return Promise.reject(new DOMException("Aborted", "AbortError"));
    });
    await expect(graphqlRequest(request(fetch, controller.signal))).rejects.toMatchObject({
      name: "AbortError",
    });
  });
});
