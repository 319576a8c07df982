/**
 * The apps' one way to send a GraphQL operation written as text, to either endpoint
 * (/graphql, /governance/graphql): the client kit's createClient does the HTTP, so every app
 * sends the same headers and reads refusals the same way; failures become an ApiError.
 */
import {
  createClient,
  MashRequestError,
  type MashResult,
  type TypedDocumentNode,
} from "@mash/client-kit";
import { type DocumentNode, parse } from "graphql";
import { ApiError, problemsOf, problemsOfError } from "./api-error.ts";
import { messageOf } from "./message-of.ts";

export interface GraphQLRequest {
  /** Same-origin path of the endpoint: `/graphql` or `/governance/graphql`. */
  readonly endpoint: string;
  /** `Bearer <token>`, as the sign-in hook holds it. */
  readonly authorization: string;
  readonly query: string;
  readonly variables?: Record<string, unknown>;
  readonly signal?: AbortSignal;
  /** Another fetch (a test's); the global one by default. */
  readonly fetch?: typeof fetch;
}

// Queries are module constants: parse each once, and the kit prints each document once.
const parsed = new Map<string, DocumentNode>();
function documentOf(query: string): TypedDocumentNode<unknown, Record<string, unknown>> {
  let document = parsed.get(query);
  if (!document) {
    document = parse(query);
    parsed.set(query, document);
  }
  return document as TypedDocumentNode<unknown, Record<string, unknown>>;
}

const tokenOf = (authorization: string) => authorization.replace(/^bearer\s+/i, "");

/**
 * The whole answer (data with any errors, which may say what is withheld): for a caller that
 * reads partial answers. A refusal without data, or no answer at all, rejects with an ApiError;
 * an abort rejects as fetch does.
 */
export async function graphqlAnswer<T>(request: GraphQLRequest): Promise<MashResult<T>> {
  const { endpoint, authorization, query, variables, signal } = request;
  let document: TypedDocumentNode<unknown, Record<string, unknown>>;
  try {
    document = documentOf(query);
  } catch (error) {
    throw new ApiError([{ message: `The app's own query does not parse: ${messageOf(error)}` }]);
  }
  const client = createClient({
    url: endpoint,
    token: tokenOf(authorization),
    ...(request.fetch ? { fetch: request.fetch } : {}),
  });
  try {
    return (await client.request(document, variables ?? {}, { signal })) as MashResult<T>;
  } catch (error) {
    if (signal?.aborted) throw error;
    if (!(error instanceof MashRequestError)) {
      // Nothing came back: fetch itself failed (the network, the gateway down). Its own words
      // are not shown: for a header it could not send, some browsers quote the header's value.
      throw new ApiError([
        { message: "Could not reach the gateway: check the connection and try again." },
      ]);
    }
    const problems =
      error.status === 404 && error.errors.length === 0
        ? [{ message: `This gateway does not serve ${endpoint} (HTTP 404)`, code: "HTTP_404" }]
        : problemsOfError(error);
    throw new ApiError(problems, error.status, error.requestId);
  }
}

/** The `data` of an answer without errors; any error at all rejects with an ApiError. */
export async function graphqlRequest<T>(request: GraphQLRequest): Promise<T> {
  const answer = await graphqlAnswer<T>(request);
  const problems = problemsOf(answer.errors);
  if (problems.length > 0) throw new ApiError(problems, 200, answer.requestId);
  if (answer.data === null || answer.data === undefined) {
    throw new ApiError(
      [{ message: `${request.endpoint} answered without data`, code: "NO_DATA" }],
      200,
      answer.requestId,
    );
  }
  return answer.data;
}
