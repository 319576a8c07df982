import { randomUUID } from "node:crypto";
import { STATUS_CODES } from "node:http";
import { type GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from "@apollo/gateway";
import { parseCacheControlHeader } from "@apollo/gateway/dist/datasources/parseCacheControlHeader.js";
import type {
  GatewayGraphQLRequestContext,
  GatewayGraphQLResponse,
} from "@apollo/server-gateway-interface";
import {
  type CallerContext,
  CONTEXT_HEADER,
  type ContextSigningKey,
  GATEWAY_SUBJECT,
  type Logger,
  signContext,
} from "@mash/kit";
import { GraphQLError } from "graphql";
import { AGENCY_UNAVAILABLE } from "../authz/filter.ts";
import type { GatewayContext } from "../request/context.ts";
import type { SubgraphAnswer, SubgraphTransport } from "../transport/subgraph-transport.ts";
import type { FetchMetrics } from "./metrics.ts";
import { sendNarrowed } from "./narrowed-send.ts";

/**
 * Signs the context for one request to one subgraph: the token for the X-MASH-Context header,
 * bound to `body`, the exact bytes sent with it ("" for a request without a body).
 */
export type ContextSigner = (
  subgraph: string,
  caller: CallerContext,
  body: string,
) => Promise<string>;

export const contextSigner =
  (key: ContextSigningKey): ContextSigner =>
  (subgraph, caller, body) =>
    signContext(key, subgraph, caller, body);

/** The gateway acting for itself (schema fetch, purpose lookups), on behalf of no user. */
export const gatewayCaller = (rid: string = randomUUID()): CallerContext => ({
  sub: GATEWAY_SUBJECT,
  roles: [],
  rid,
});

/**
 * The user a client request is for, as `subgraph` is to see them. The subgraph that serves a
 * search is also told whom each of its arguments may match (the policy's `arguments:`), by the
 * policy the request is enforced with; without a policy or an authorization it is told nothing,
 * and matches no one.
 */
export function callerOf(context: Partial<GatewayContext>, subgraph?: string): CallerContext {
  // Fail closed: a fetch with no verified user must not reach a subgraph as somebody.
  if (!context.principal || !context.requestId)
    throw new Error("A subgraph fetch has no verified user to sign for; nothing is sent.");
  const search = subgraph !== undefined ? context.searchAccess?.(subgraph) : undefined;
  return {
    sub: context.principal.id,
    roles: context.principal.roles,
    ...(context.principal.agency !== undefined ? { agency: context.principal.agency } : {}),
    ...(context.enquiryId !== undefined ? { enquiry: context.enquiryId } : {}),
    rid: context.requestId,
    ...(search ? { search } : {}),
  };
}

/**
 * A subgraph that answered 400 to a well-formed fetch refused a value the client gave it (a
 * date its scalar rejects, say): that is the client's mistake, named, and the answer is a 400;
 * the agency is not "unavailable". Only the first line of its first message is passed on.
 */
function clientMistake(error: unknown, subgraph: string): GraphQLError | undefined {
  const response = (error as GraphQLError).extensions?.response as
    | { status?: number; body?: { errors?: { message?: unknown }[] } }
    | undefined;
  if (response?.status !== 400) return undefined;
  const first = response.body?.errors?.[0]?.message;
  if (typeof first !== "string") return undefined;
  const said = first.split("\n")[0]?.slice(0, 300) ?? "";
  return new GraphQLError(`The ${subgraph} service refused a value in this request: ${said}`, {
    extensions: { code: "BAD_USER_INPUT", subgraph, http: { status: 400 } },
  });
}

/**
 * The data source for one subgraph: every fetch the query planner makes carries a context signed
 * for that subgraph alone, so a token taken from one agency's traffic opens no other agency.
 *
 * It sends each fetch itself (one POST on the transport's pool) rather than through
 * RemoteGraphQLDataSource's fetcher: that path builds a node-fetch Request, a Headers object
 * and a WHATWG fetch with its streams for every fetch, which on a big query cost more than the
 * gateway's own work (README, "Measured"). What goes out and what comes back are as Apollo's:
 * the same body bytes, Content-Type, the parsed JSON, a non-2xx answer as Apollo's error.
 */
export class SigningDataSource extends RemoteGraphQLDataSource<Partial<GatewayContext>> {
  constructor(
    private readonly subgraph: string,
    url: string,
    private readonly sign: ContextSigner,
    private readonly options: {
      timeoutMs: number;
      logger: Logger;
      metrics?: FetchMetrics;
      transport: SubgraphTransport;
    },
  ) {
    super({ url });
  }

  /**
   * An agency that is down, slow or failing must not take the graph down: its fetch fails as
   * AGENCY_UNAVAILABLE naming the subgraph (the authorization filter puts it at the agency's
   * fields), and the details, which name internal addresses, go to the log only.
   */
  override async process(
    options: GraphQLDataSourceProcessOptions<Partial<GatewayContext>>,
  ): Promise<GatewayGraphQLResponse> {
    const started = performance.now();
    const observe = (failed: boolean) =>
      this.options.metrics?.observeFetch(
        this.subgraph,
        (performance.now() - started) / 1000,
        failed,
      );
    try {
      const response = await this.send(options);
      observe(false);
      return response;
    } catch (error) {
      const refused = clientMistake(error, this.subgraph);
      if (refused) {
        observe(false);
        throw refused;
      }
      observe(true);
      const rid = "incomingRequestContext" in options ? options.context.requestId : undefined;
      this.options.logger.warn("subgraph fetch failed", {
        subgraph: this.subgraph,
        rid,
        error: (error as Error).message,
      });
      throw new GraphQLError(
        `The ${this.subgraph} service did not answer; its data is not in this response.`,
        {
          extensions: { code: AGENCY_UNAVAILABLE, subgraph: this.subgraph },
        },
      );
    }
  }

  private async send(
    options: GraphQLDataSourceProcessOptions<Partial<GatewayContext>>,
  ): Promise<GatewayGraphQLResponse> {
    const { request } = options;
    const { http, query, ...rest } = request;
    if (!query) throw new Error("Missing query");
    // Only a client's operation has an incoming request (the kind enum is not exported).
    const incoming = "incomingRequestContext" in options;
    const caller = incoming ? callerOf(options.context, this.subgraph) : gatewayCaller();
    const headers: Record<string, string> = {};
    if (http?.headers) for (const [name, value] of http.headers) headers[name] = value;
    headers["content-type"] = "application/json";
    const post = async (text: string, variables: typeof rest.variables) => {
      // The query first, then the request's other members (APQ is off): the bytes Apollo sends,
      // and the bytes the context is bound to.
      const body = JSON.stringify({ query: text, ...rest, variables });
      const signed = { ...headers };
      signed[CONTEXT_HEADER.toLowerCase()] = await this.sign(this.subgraph, caller, body);
      const url = this.url as string;
      const answer = await this.options.transport.post(url, signed, body, this.options.timeoutMs);
      const parsed = parsedBody(answer);
      if (answer.status < 200 || answer.status > 299) throw errorOf(url, answer, parsed);
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
        throw new Error(`Expected JSON response body, but received: ${String(parsed)}`);
      if (incoming) restrictCachePolicy(options.incomingRequestContext, answer.cacheControl);
      return parsed as GatewayGraphQLResponse;
    };
    const representations = rest.variables?.representations;
    const split =
      incoming && Array.isArray(representations)
        ? options.context.narrowing?.split(query, representations)
        : undefined;
    if (!split || !Array.isArray(representations)) return post(query, rest.variables);
    // People outside the purpose are asked only what they may be shown (authz/narrow-fetch.ts).
    return sendNarrowed(split, { query, variables: rest.variables, representations }, post);
  }
}

/** Apollo's parseBody: JSON for a JSON content type, else the text as it came. */
function parsedBody(answer: SubgraphAnswer): unknown {
  const type = answer.contentType;
  return type?.startsWith("application/json") ||
    type?.startsWith("application/graphql-response+json")
    ? JSON.parse(answer.text)
    : answer.text;
}

/** Apollo's errorFromResponse, which clientMistake and the log read. */
function errorOf(url: string, answer: SubgraphAnswer, body: unknown): GraphQLError {
  const statusText = STATUS_CODES[answer.status] ?? "";
  const code =
    answer.status === 401 ? "UNAUTHENTICATED" : answer.status === 403 ? "FORBIDDEN" : undefined;
  return new GraphQLError(`${answer.status}: ${statusText}`, {
    extensions: {
      response: { url, status: answer.status, statusText, body },
      ...(code ? { code } : {}),
    },
  });
}

/**
 * A subgraph's Cache-Control narrows the response's cache policy, exactly as
 * RemoteGraphQLDataSource.respond does when Apollo Server computes one (its own parser): no
 * header means no caching (max-age 0).
 */
function restrictCachePolicy(
  incoming: GatewayGraphQLRequestContext,
  header: string | undefined,
): void {
  const policy = incoming.overallCachePolicy;
  if (!policy || !("restrict" in policy)) return;
  const parsed = parseCacheControlHeader(header);
  const hint: { maxAge: number; scope?: "PRIVATE" | "PUBLIC" } = { maxAge: 0 };
  const maxAge = parsed["max-age"];
  if (typeof maxAge === "string" && /^[0-9]+$/.test(maxAge)) hint.maxAge = Number(maxAge);
  if (parsed.private === true) hint.scope = "PRIVATE";
  if (parsed.public === true) hint.scope = "PUBLIC";
  (policy as { restrict(hint: unknown): void }).restrict(hint);
}
