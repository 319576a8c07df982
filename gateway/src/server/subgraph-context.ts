import { randomUUID } from "node:crypto";
import { type GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from "@apollo/gateway";
import type { Fetcher } from "@apollo/utils.fetcher";
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
import type { SubgraphTransport } from "../transport/subgraph-transport.ts";
import type { FetchMetrics } from "./metrics.ts";

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
    super({
      url,
      // A slow agency must not hold the whole request: each fetch has its own deadline.
      // Through the transport (its CA, its client certificate), whose errors name the refusal or
      // the certificate problem for the log line process() writes.
      fetcher: ((input: string, init: { headers: Record<string, string>; body: string }) =>
        options.transport.fetch(input, {
          method: "POST",
          headers: init.headers,
          body: init.body,
          signal: AbortSignal.timeout(options.timeoutMs),
        })) as unknown as Fetcher,
    });
  }

  /**
   * An agency that is down, slow or failing must not take the graph down: its fetch fails as
   * AGENCY_UNAVAILABLE naming the subgraph (the authorization filter puts it at the agency's
   * fields), and the details, which name internal addresses, go to the log only.
   */
  override async process(options: GraphQLDataSourceProcessOptions<Partial<GatewayContext>>) {
    const started = performance.now();
    const observe = (failed: boolean) =>
      this.options.metrics?.observeFetch(
        this.subgraph,
        (performance.now() - started) / 1000,
        failed,
      );
    try {
      const response = await super.process(options);
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

  override async willSendRequest(
    options: GraphQLDataSourceProcessOptions<Partial<GatewayContext>>,
  ): Promise<void> {
    // Only a client's operation has an incoming request (the kind enum is not exported).
    const caller =
      "incomingRequestContext" in options
        ? callerOf(options.context, this.subgraph)
        : gatewayCaller();
    const { http, query, ...rest } = options.request;
    if (!http || !query) return; // process() refuses these itself, before anything is sent.
    // Byte for byte what RemoteGraphQLDataSource.sendRequest sends (the query first, then the
    // request's other members but http, APQ being off): the context is bound to this body.
    const body = JSON.stringify({ query, ...rest });
    http.headers.set(CONTEXT_HEADER, await this.sign(this.subgraph, caller, body));
  }
}
