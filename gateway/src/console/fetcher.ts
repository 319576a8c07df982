import type { GraphiQLProps } from "graphiql";
import { GRAPHQL_ENDPOINT } from "./api.ts";

type Fetcher = GraphiQLProps["fetcher"];

/** The gateway refuses shorter reasons with 400 (MIN_BREAK_GLASS_REASON in pipeline/use-purpose.ts). */
export const MIN_BREAK_GLASS_REASON = 20;

/** What the header bar's pickers add to every request. */
export interface Purpose {
  /** X-MASH-Enquiry; empty for none. */
  readonly enquiry: string;
  /** X-MASH-Break-Glass as typed; sent only once it is long enough. */
  readonly breakGlass: string;
}

// Typographic punctuation that browsers' text inputs and phones like to produce; HTTP header
// values are bytes, so turn it into the plain characters a person would have meant.
const PLAIN: ReadonlyArray<[RegExp, string]> = [
  [/[\u2018\u2019\u201b\u2032]/g, "'"],
  [/[\u201c\u201d\u201f\u2033]/g, '"'],
  [/[\u2010-\u2015\u2212]/g, "-"],
  [/\u2026/g, "..."],
  [/\s+/g, " "],
];

export type BreakGlassHeader =
  | { readonly send: true; readonly value: string }
  | { readonly send: false; readonly problem?: string };

/** What, if anything, goes in X-MASH-Break-Glass for the reason typed in the header bar. */
export function breakGlassHeader(reason: string): BreakGlassHeader {
  let value = reason;
  for (const [pattern, plain] of PLAIN) value = value.replace(pattern, plain);
  value = value.trim();
  if (value.length < MIN_BREAK_GLASS_REASON) return { send: false };
  // Latin-1 is all an HTTP header value can carry; fetch would throw on anything else.
  const unsendable = [...value].filter((char) => (char.codePointAt(0) ?? 0) > 0xff);
  if (unsendable.length > 0) {
    return { send: false, problem: `Remove ${[...new Set(unsendable)].join(" ")} to send it` };
  }
  return { send: true, value };
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
    const purpose = params.operationName === INTROSPECTION ? NO_PURPOSE : options.purpose();
    const headers = requestHeaders(options.authorization, purpose, typed);
    const authorization = headers.get("authorization");
    if (!authorization && options.signInFirst !== undefined) {
      return { errors: [{ message: options.signInFirst }] };
    }
    const response = await fetch(GRAPHQL_ENDPOINT, {
      method: "POST",
      headers,
      body: JSON.stringify(params),
      credentials: "same-origin",
    });
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
    const text = await response.text();
    try {
      return JSON.parse(text);
    } catch {
      // A proxy or a crashed gateway can answer with HTML or plain text; show it rather than hang.
      const message = `HTTP ${response.status} ${response.statusText}: ${text.slice(0, 500)}`;
      return { errors: [{ message }] };
    }
  };
}
