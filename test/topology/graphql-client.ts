export interface GraphQLAnswer<T> {
  status: number;
  body: {
    data?: T | null;
    errors?: {
      message: string;
      path?: (string | number)[];
      extensions?: Record<string, unknown>;
    }[];
  };
  requestId: string | null;
  /** The gateway HAProxy chose (X-Served-By), for requests through it. */
  servedBy: string | null;
}

/**
 * Every HTTP 200 a client of the topology received, by the request id the gateway returned,
 * with the operation it named: the access log must hold each exactly once.
 */
export const acknowledged = new Map<string, string | undefined>();

/** Where a `/graphql` URL's governance API is. */
export const governanceUrl = (url: string) => url.replace(/\/graphql$/, "/governance/graphql");

export async function graphql<T = Record<string, unknown>>(
  url: string,
  options: {
    token: string;
    query: string;
    variables?: Record<string, unknown>;
    operationName?: string;
    enquiry?: string;
    breakGlass?: string;
    /** Extra request headers (the load generator's request number). */
    headers?: Record<string, string>;
    timeoutMs?: number;
  },
): Promise<GraphQLAnswer<T>> {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${options.token}`,
      ...(options.enquiry ? { "x-mash-enquiry": options.enquiry } : {}),
      ...(options.breakGlass ? { "x-mash-break-glass": options.breakGlass } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query: options.query, variables: options.variables ?? {} }),
    signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
  });
  const text = await response.text();
  let body: GraphQLAnswer<T>["body"];
  try {
    body = JSON.parse(text) as GraphQLAnswer<T>["body"];
  } catch {
    // HAProxy's own error pages are HTML.
    body = { errors: [{ message: `not JSON: ${text.slice(0, 200)}` }] };
  }
  const requestId = response.headers.get("x-request-id");
  if (response.status === 200 && requestId) acknowledged.set(requestId, options.operationName);
  return {
    status: response.status,
    body,
    requestId,
    servedBy: response.headers.get("x-served-by"),
  };
}
