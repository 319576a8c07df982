import { type ApolloServer, type BaseContext, HeaderMap } from "@apollo/server";
import type { Stage } from "./pipeline.ts";

/**
 * The graph itself: Apollo Server runs the operation (validation, planning, the authorizing
 * executor). It only ever sees requests every earlier stage let through; its own refusals (a
 * batch, a CSRF-suspect GET, a body that is no GraphQL request) come back as replies like any
 * other, so the after-hooks record them too.
 */
export function useGraphQL<C extends BaseContext>(server: ApolloServer<C>): Stage<C> {
  return {
    name: "graphql",
    async onRequest(request) {
      const context = request.context;
      if (!context) throw new Error("the graph runs after the purpose is settled");
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(request.req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
      }
      const url = request.req.url ?? "/";
      const q = url.indexOf("?");
      const response = await server.executeHTTPGraphQLRequest({
        httpGraphQLRequest: {
          method: (request.req.method ?? "GET").toUpperCase(),
          headers,
          search: q >= 0 ? url.slice(q) : "",
          body: request.payload?.body,
        },
        context: async () => context,
      });
      let body: string | Uint8Array = "";
      // Our stringifyResult gives bytes, which Apollo hands on untouched (apollo-server.ts).
      if (response.body.kind === "complete") body = response.body.string as string | Uint8Array;
      else for await (const chunk of response.body.asyncIterator) body += chunk;
      const replyHeaders: Record<string, string> = {};
      for (const [key, value] of response.headers) replyHeaders[key] = value;
      request.reply = { status: response.status ?? 200, headers: replyHeaders, body };
      return undefined;
    },
  };
}
