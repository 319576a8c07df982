import type { IncomingMessage, ServerResponse } from "node:http";
import { type ApolloServer, type BaseContext, HeaderMap } from "@apollo/server";
import { HttpError, readBody } from "./read-body.ts";
import { sendGraphQLError } from "./respond.ts";

export interface GraphQLHandlerOptions<C extends BaseContext> {
  server: ApolloServer<C>;
  context: (req: IncomingMessage) => Promise<C>;
  maxBodyBytes?: number;
}

/**
 * Hands a Node request to Apollo Server. Apollo Server 5 has no built-in Node integration beside
 * its standalone server, and we need the same port for /health and the console, so this is the
 * thin adapter the standalone server would otherwise be.
 */
export function graphqlHandler<C extends BaseContext>(options: GraphQLHandlerOptions<C>) {
  const limit = options.maxBodyBytes ?? 1_000_000;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
    }
    let body: unknown;
    if (req.method === "POST") {
      let text: string;
      try {
        text = await readBody(req, limit);
      } catch (error) {
        if (error instanceof HttpError) {
          sendGraphQLError(res, error.status, error.message, "PAYLOAD_TOO_LARGE");
          return;
        }
        throw error;
      }
      if ((headers.get("content-type") ?? "").includes("json")) {
        try {
          body = JSON.parse(text);
        } catch (error) {
          sendGraphQLError(
            res,
            400,
            `The request body is not valid JSON: ${(error as Error).message}`,
            "BAD_REQUEST",
          );
          return;
        }
      } else {
        body = text;
      }
    }
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const response = await options.server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: (req.method ?? "GET").toUpperCase(),
        headers,
        search: q >= 0 ? url.slice(q) : "",
        body,
      },
      context: () => options.context(req),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    // Nothing between a subgraph and the gateway is to keep an answer. The agencies' servers
    // gather no cache hints (subgraph-apollo.ts), so Apollo sets no header of its own there.
    if (!res.hasHeader("cache-control")) res.setHeader("cache-control", "no-store");
    res.statusCode = response.status ?? 200;
    if (response.body.kind === "complete") {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };
}
