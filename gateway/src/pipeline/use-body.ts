import { HttpError, readBody } from "@mash/kit/http";
import { RequestRefused } from "../errors/catalogue.ts";
import type { GraphQLPayload, Stage } from "./pipeline.ts";

export interface BodyOptions {
  maxBodyBytes: number;
  /** Methods the endpoint takes (the graph: GET and POST; governance: POST). */
  methods: readonly string[];
}

const fromSearch = (search: URLSearchParams): Omit<GraphQLPayload, "body"> => {
  const variables = search.get("variables");
  let parsed: unknown;
  try {
    parsed = variables ? JSON.parse(variables) : undefined;
  } catch {
    parsed = undefined;
  }
  return {
    query: search.get("query") ?? undefined,
    operationName: search.get("operationName") ?? undefined,
    variables:
      parsed && typeof parsed === "object" && !Array.isArray(parsed)
        ? (parsed as Record<string, unknown>)
        : undefined,
  };
};

/**
 * The transport: the method, the body within its limit, JSON that parses. Each refusal here is
 * the user's and is recorded as theirs, since authentication came first.
 */
export function useBody<C>(options: BodyOptions): Stage<C> {
  return {
    name: "body",
    async onRequest(request) {
      const method = (request.req.method ?? "GET").toUpperCase();
      if (!options.methods.includes(method))
        throw new RequestRefused(
          "METHOD_NOT_ALLOWED",
          `This endpoint takes ${options.methods.join(" or ")} requests, not ${method}.`,
          { allow: options.methods.join(", ") },
        );
      const url = new URL(request.req.url ?? "/", "http://gateway");
      if (method !== "POST") {
        request.payload = { body: undefined, ...fromSearch(url.searchParams) };
        return undefined;
      }
      let text: string;
      try {
        text = await readBody(request.req, options.maxBodyBytes);
      } catch (error) {
        if (error instanceof HttpError)
          throw new RequestRefused("PAYLOAD_TOO_LARGE", error.message);
        // The client went away mid-body: nobody is left to answer, but the attempt is recorded.
        throw new RequestRefused("BAD_REQUEST", "The request body ended before it was complete.");
      }
      const type = String(request.req.headers["content-type"] ?? "");
      if (!type.includes("json")) {
        request.payload = { body: text };
        return undefined;
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch (error) {
        throw new RequestRefused(
          "BAD_REQUEST",
          `The request body is not valid JSON: ${(error as Error).message}`,
        );
      }
      const fields =
        body && typeof body === "object" && !Array.isArray(body)
          ? (body as { query?: unknown; operationName?: unknown; variables?: unknown })
          : {};
      request.payload = {
        body,
        query: typeof fields.query === "string" ? fields.query : undefined,
        operationName: typeof fields.operationName === "string" ? fields.operationName : undefined,
        variables:
          fields.variables &&
          typeof fields.variables === "object" &&
          !Array.isArray(fields.variables)
            ? (fields.variables as Record<string, unknown>)
            : undefined,
      };
      return undefined;
    },
  };
}
