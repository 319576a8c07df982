import { breakGlassHeader } from "@mash/client-kit";
import type { GraphiQLProps } from "graphiql";
import { messageOf } from "../shared/message-of.ts";
import { GRAPHQL_ENDPOINT } from "./api.ts";
import { operationNameIn } from "./operation-name.ts";
import { fillReturnedIds, rememberReturnedId, returnedBy } from "./returned-ids.ts";

// The header bar reads these from here; the kit holds them so every frontend sends the same.
export { type BreakGlassHeader, breakGlassHeader, MIN_BREAK_GLASS_REASON } from "@mash/client-kit";

type Fetcher = GraphiQLProps["fetcher"];
type FetcherAnswer = Awaited<ReturnType<Fetcher>>;

/**
 * An answer the console gives itself, shaped like the gateway's. GraphiQL only prints an answer
 * as JSON and reads nothing of GraphQLError beyond that, so plain messages are enough.
 */
const answerLocally = (messages: readonly string[]) =>
  ({ errors: messages.map((message) => ({ message })) }) as unknown as FetcherAnswer;

/** What the header bar's pickers add to every request. */
export interface Purpose {
  /** X-MASH-Enquiry; empty for none. */
  readonly enquiry: string;
  /** X-MASH-Break-Glass as typed; sent only once it is long enough. */
  readonly breakGlass: string;
}

/**
 * The headers for one request: the signed-in user's token and the pickers' purpose first, then
 * whatever the user typed in the Headers editor, which wins (Headers names are case-insensitive).
 */
export function requestHeaders(
  authorization: string | undefined,
  purpose: Purpose,
  typed: Readonly<Record<string, unknown>> = {},
): Headers {
  const headers = new Headers({
    "content-type": "application/json",
    accept: "application/graphql-response+json, application/json;q=0.9",
  });
  if (authorization) headers.set("authorization", authorization);
  const enquiry = purpose.enquiry.trim();
  if (enquiry) headers.set("x-mash-enquiry", enquiry);
  const breakGlass = breakGlassHeader(purpose.breakGlass);
  if (breakGlass.send) headers.set("x-mash-break-glass", breakGlass.value);
  for (const [name, value] of Object.entries(typed)) headers.set(name, String(value));
  return headers;
}

/**
 * What became of one request the user ran, for the status line: the X-Request-Id to quote when
 * reporting a problem, or why nothing reached the gateway (and so there is no id).
 */
export type RequestReport =
  | {
      readonly kind: "answered";
      readonly operationName?: string;
      /** X-Request-Id; undefined if something between the gateway and the browser dropped it. */
      readonly requestId?: string;
      readonly status: number;
      /** Placeholders the console filled in before sending, with the ids it sent. */
      readonly filled: ReadonlyArray<{ readonly step: string; readonly id: string }>;
    }
  | { readonly kind: "not-sent"; readonly operationName?: string; readonly reason: string }
  | { readonly kind: "unreachable"; readonly operationName?: string; readonly reason: string };

export interface FetcherOptions {
  /** `Bearer <token>` for the user chosen in "Sign in as"; undefined when nobody is. */
  authorization: string | undefined;
  /** Read on every request, so changing the purpose needs no new fetcher (and no re-introspection). */
  purpose: () => Purpose;
  /**
   * When set, a request with no Authorization header at all is answered here with this message
   * rather than sent: the gateway could only refuse it, and the browser logs every 401.
   */
  signInFirst?: string;
  /** Told the Authorization header typed in the Headers editor when the gateway accepts a new one. */
  onTypedAuthorization?: (authorization: string) => void;
  /** The typed Authorization header already reported, so it is not reported again. */
  typedAuthorization?: string;
  /** Told what became of each request the user ran (never of GraphiQL's schema reads). */
  onReport?: (report: RequestReport) => void;
  /**
   * The id each operation last returned, by operation name, kept across sign-ins so that a walk
   * through the process tabs can change user between steps (returned-ids.ts).
   */
  returnedIds?: Map<string, string>;
}

/** The operation name GraphiQL gives the schema request it sends on load and after each sign-in. */
const INTROSPECTION = "IntrospectionQuery";
const NO_PURPOSE: Purpose = { enquiry: "", breakGlass: "" };

/**
 * A hand-written fetcher instead of @graphiql/toolkit: that package is only a transitive
 * dependency here, and the console needs nothing beyond a same-origin JSON POST.
 */
export function createFetcher(options: FetcherOptions): Fetcher {
  return async (params, fetcherOptions) => {
    const typed = (fetcherOptions?.headers ?? {}) as Record<string, unknown>;
    // Reading the schema reads no one's records: it states no purpose and breaks no glass.
    const introspection = params.operationName === INTROSPECTION;
    const operationName = introspection
      ? INTROSPECTION
      : operationNameIn(params.query, params.operationName ?? undefined);
    const report = introspection ? () => undefined : (options.onReport ?? (() => undefined));
    const purpose = introspection ? NO_PURPOSE : options.purpose();
    const headers = requestHeaders(options.authorization, purpose, typed);
    const authorization = headers.get("authorization");
    if (!authorization && options.signInFirst !== undefined) {
      report({ kind: "not-sent", operationName, reason: "nobody is signed in" });
      return answerLocally([options.signInFirst]);
    }
    const returned = options.returnedIds ?? new Map<string, string>();
    const { variables, filled, missing } = fillReturnedIds(params.variables, returned);
    if (missing.length > 0) {
      const message = missing.map(
        (step) =>
          `The Variables use "${returnedBy(step)}": run the ${step} tab first, in this browser ` +
          "tab, and its answer's id is filled in here; or replace it with an id of your own.",
      );
      report({ kind: "not-sent", operationName, reason: `run ${missing.join(" and ")} first` });
      return answerLocally(message);
    }
    let response: Response;
    try {
      response = await fetch(GRAPHQL_ENDPOINT, {
        method: "POST",
        headers,
        body: JSON.stringify({ ...params, operationName, variables }),
        credentials: "same-origin",
      });
    } catch (error) {
      report({ kind: "unreachable", operationName, reason: messageOf(error) });
      throw error;
    }
    const typedAuthorization = Object.entries(typed).find(
      ([name]) => name.toLowerCase() === "authorization",
    );
    if (
      typedAuthorization &&
      authorization &&
      authorization !== options.typedAuthorization &&
      response.status !== 401
    ) {
      options.onTypedAuthorization?.(authorization);
    }
    report({
      kind: "answered",
      operationName,
      requestId: response.headers.get("x-request-id") ?? undefined,
      status: response.status,
      filled,
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      // A proxy or a crashed gateway can answer with HTML or plain text; show it rather than hang.
      return answerLocally([
        `HTTP ${response.status} ${response.statusText}: ${text.slice(0, 500)}`,
      ]);
    }
    rememberReturnedId(operationName, body, returned);
    // Passed through as the gateway sent it: GraphiQL shows whatever JSON comes back.
    return body as FetcherAnswer;
  };
}
