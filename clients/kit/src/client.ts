import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { type GraphQLFormattedError, getOperationAST, print } from "graphql";
import { breakGlassHeader, MIN_BREAK_GLASS_REASON } from "./break-glass.ts";
import { MashRequestError, refusalFor } from "./errors.ts";

/** Where and as whom a client asks; the purpose headers apply to every request it sends. */
export interface ClientOptions {
  /** The gateway's GraphQL endpoint, e.g. `http://localhost:4000/graphql` (or `/graphql`). */
  url: string;
  /** The bearer token, or a function giving the current one (for refreshing sign-ins). */
  token?: string | (() => string | undefined | Promise<string | undefined>);
  /** X-MASH-Enquiry: the enquiry the request is for. */
  enquiry?: string;
  /**
   * X-MASH-Break-Glass: the written reason (20+ characters), for roles that may break glass. Sent
   * as breakGlassHeader makes it: line breaks and typographic punctuation become plain characters.
   */
  breakGlass?: string;
  /** Another fetch (a test's, a framework's); the global one by default. */
  fetch?: typeof fetch;
}

/** Per request: another purpose than the client's, and a signal to abort. */
export interface RequestOptions {
  enquiry?: string;
  breakGlass?: string;
  signal?: AbortSignal;
}

/** An answer with data, possibly partial: `errors` says what is withheld or missing, and why. */
export interface MashResult<TData> {
  data: TData | null | undefined;
  errors: readonly GraphQLFormattedError[];
  /** The X-Request-Id of this request: quote it when reporting a problem. */
  requestId: string | undefined;
}

/** An operation without required variables may be sent without any. */
type VariablesArgs<TVars> =
  Record<string, never> extends TVars
    ? [variables?: TVars, options?: RequestOptions]
    : [variables: TVars, options?: RequestOptions];

export interface MashClient {
  /**
   * Sends one operation. Resolves with the data and errors of a GraphQL answer (HTTP 200);
   * rejects with a `MashRequestError` (`BadRequestError`, `UnauthenticatedError`,
   * `ForbiddenError`, `RateLimitedError`) when the gateway answered without running it.
   */
  request<TData, TVars extends Record<string, unknown>>(
    document: TypedDocumentNode<TData, TVars>,
    // NoInfer: the document alone says what the variables are, so extra ones are refused.
    ...args: VariablesArgs<NoInfer<TVars>>
  ): Promise<MashResult<TData>>;
}

interface PrintedDocument {
  query: string;
  operationName: string | undefined;
}

// Documents are module constants: print each once, not on every request.
const printed = new WeakMap<object, PrintedDocument>();
function printOnce(document: TypedDocumentNode<unknown, never>): PrintedDocument {
  let entry = printed.get(document);
  if (!entry) {
    entry = { query: print(document), operationName: getOperationAST(document)?.name?.value };
    printed.set(document, entry);
  }
  return entry;
}

interface GraphQLBody {
  data?: unknown;
  errors?: GraphQLFormattedError[];
}

const isBody = (value: unknown): value is GraphQLBody =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The header value for a reason, or undefined for none. A reason that cannot be sent is refused
 * here, before anything is sent, rather than sent without it (a normal answer the person did not
 * ask for) or left to fetch to throw an unreadable TypeError.
 */
function breakGlassValue(reason: string | undefined): string | undefined {
  if (reason === undefined || reason.trim() === "") return undefined;
  const header = breakGlassHeader(reason);
  if (header.send) return header.value;
  throw new TypeError(
    header.problem
      ? `The break-glass reason cannot go in X-MASH-Break-Glass: ${header.problem}.`
      : `The break-glass reason needs at least ${MIN_BREAK_GLASS_REASON} characters.`,
  );
}

/** A small typed client for the gateway: no cache, no framework, one POST per request. */
export function createClient(options: ClientOptions): MashClient {
  if (typeof options.url !== "string" || options.url.trim() === "") {
    throw new TypeError("createClient: `url` must be the gateway's GraphQL endpoint.");
  }
  const tokenNow = async () =>
    typeof options.token === "function" ? await options.token() : options.token;

  return {
    async request<TData, TVars extends Record<string, unknown>>(
      document: TypedDocumentNode<TData, TVars>,
      ...[variables, perRequest]: VariablesArgs<NoInfer<TVars>>
    ): Promise<MashResult<TData>> {
      const { query, operationName } = printOnce(document as TypedDocumentNode<unknown, never>);
      const token = await tokenNow();
      const enquiry = perRequest?.enquiry ?? options.enquiry;
      const breakGlass = breakGlassValue(perRequest?.breakGlass ?? options.breakGlass);
      const headers: Record<string, string> = {
        "content-type": "application/json",
        accept: "application/json",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(enquiry ? { "x-mash-enquiry": enquiry } : {}),
        ...(breakGlass ? { "x-mash-break-glass": breakGlass } : {}),
      };
      // Looked up per request, so a fetch installed after the client was made is the one used.
      const send = options.fetch ?? globalThis.fetch;
      const response = await send(options.url, {
        method: "POST",
        headers,
        body: JSON.stringify({ query, operationName, variables: variables ?? {} }),
        signal: perRequest?.signal,
      });
      const requestId = response.headers.get("x-request-id") ?? undefined;
      const raw = await response.text();
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        body = undefined;
      }
      if (!isBody(body)) {
        throw new MashRequestError({
          status: response.status,
          code: undefined,
          message: `The gateway answered HTTP ${response.status} with a body that is not a GraphQL response.`,
          errors: [],
          requestId,
        });
      }
      const errors = body.errors ?? [];
      if (response.ok && "data" in body) {
        return { data: body.data as TData | null, errors, requestId };
      }
      const first = errors[0];
      throw refusalFor(
        {
          status: response.status,
          code: typeof first?.extensions?.code === "string" ? first.extensions.code : undefined,
          message: first?.message ?? `The gateway answered HTTP ${response.status}.`,
          errors,
          requestId,
        },
        response.headers.get("retry-after"),
      );
    },
  };
}
