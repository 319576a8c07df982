import type { ApolloServerPlugin } from "@apollo/server";
import type { Logger } from "@mash/kit";
import type { GraphQLFormattedError } from "graphql";
import { shownToClients } from "../errors/catalogue.ts";

/** A subgraph answered, with an error of its own at this path. */
export const DOWNSTREAM_SERVICE_ERROR = "DOWNSTREAM_SERVICE_ERROR";

type Shown = "client" | "downstream" | "masked";

const codeOf = (e: { extensions?: Record<string, unknown> }) =>
  String(e.extensions?.code ?? "INTERNAL_SERVER_ERROR");
const subgraphOf = (e: { extensions?: Record<string, unknown> }) => {
  const name = e.extensions?.serviceName;
  return typeof name === "string" ? name : undefined;
};

/** How an error reaches the client: as written, named after the subgraph that raised it, or masked. */
function shownAs(e: { extensions?: Record<string, unknown> }): Shown {
  if (shownToClients(codeOf(e))) return "client";
  return subgraphOf(e) ? "downstream" : "masked";
}

/**
 * Production error formatting. A client code's message was written for clients. An error a
 * subgraph raised is named: which subgraph, at which path, and that the part is missing; its own
 * message may hold SQL, internal URLs or record values, so it stays in the log. Anything else is
 * a fault of the gateway: a plain sentence and the X-Request-Id to quote. Stack traces never.
 */
export function formatError(
  formatted: GraphQLFormattedError,
  original?: unknown,
): GraphQLFormattedError {
  const path = formatted.path ? { path: formatted.path } : {};
  switch (shownAs(formatted)) {
    case "client": {
      // Apollo hands every error here as a fresh object of its own: without a stack trace to
      // strip it goes out as it is (a list answer has hundreds of withheld fields, each one here).
      if (formatted.extensions && !Object.hasOwn(formatted.extensions, "stacktrace")) {
        // Apollo copied the error's extensions; where the copy is the judge's frozen object key
        // for key, the object itself goes out, so its JSON is written once (result-json.ts).
        const own = (original as { extensions?: unknown } | undefined)?.extensions;
        if (own && Object.isFrozen(own) && sameEntries(formatted.extensions, own as object))
          (formatted as { extensions: unknown }).extensions = own;
        return formatted;
      }
      const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    case "downstream": {
      const subgraph = subgraphOf(formatted) as string;
      return {
        message: `The ${subgraph} service reported an error here; this part is missing from the response.`,
        ...path,
        extensions: { code: DOWNSTREAM_SERVICE_ERROR, subgraph },
      };
    }
    default:
      return {
        message:
          "Internal error: the request could not be completed. Quote the X-Request-Id response header to support.",
        ...path,
        extensions: { code: "INTERNAL_SERVER_ERROR" },
      };
  }
}

/** The keys of a frozen object cannot change: listed once per object (a template's extensions). */
const keysOfFrozen = new WeakMap<object, string[]>();
function frozenKeys(object: object): string[] {
  let keys = keysOfFrozen.get(object);
  if (!keys) {
    keys = Object.keys(object);
    keysOfFrozen.set(object, keys);
  }
  return keys;
}

/** The same keys in the same order with the same values: the same JSON. */
function sameEntries(a: object, b: object): boolean {
  const keysA = Object.keys(a);
  const keysB = frozenKeys(b);
  if (keysA.length !== keysB.length) return false;
  for (let i = 0; i < keysA.length; i++) {
    const key = keysA[i] as string;
    if (
      key !== keysB[i] ||
      (a as Record<string, unknown>)[key] !== (b as Record<string, unknown>)[key]
    )
      return false;
  }
  return true;
}

/**
 * Logs, with the request id a client quotes, what the formatter does not show: a subgraph's own
 * message (warn) and a gateway fault (error).
 */
export function errorLogPlugin(logger: Logger): ApolloServerPlugin<{ requestId?: string }> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ contextValue, errors }) {
          for (const error of errors) {
            const shown = shownAs(error);
            if (shown === "client") continue;
            const facts = {
              rid: contextValue.requestId,
              code: codeOf(error),
              path: error.path?.join("."),
              error: error.message,
            };
            if (shown === "downstream")
              logger.warn("a subgraph reported an error", {
                ...facts,
                subgraph: subgraphOf(error),
              });
            else logger.error("internal error in a request", facts);
          }
        },
      };
    },
  };
}
