import { randomUUID } from "node:crypto";
import { type GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from "@apollo/gateway";
import {
  type CallerContext,
  CONTEXT_HEADER,
  type ContextSigningKey,
  GATEWAY_SUBJECT,
  signContext,
} from "@mash/kit";
import type { GatewayContext } from "./request-auth.ts";

/** Signs the context for one subgraph: the token for the X-MASH-Context header. */
export type ContextSigner = (subgraph: string, caller: CallerContext) => Promise<string>;

export const contextSigner =
  (key: ContextSigningKey): ContextSigner =>
  (subgraph, caller) =>
    signContext(key, subgraph, caller);

/** The gateway acting for itself (schema fetch, purpose lookups), on behalf of no user. */
export const gatewayCaller = (rid: string = randomUUID()): CallerContext => ({
  sub: GATEWAY_SUBJECT,
  roles: [],
  rid,
});

/** The user a client request is for, as subgraphs are to see them. */
export function callerOf(context: Partial<GatewayContext>): CallerContext {
  // Fail closed: a fetch with no verified user must not reach a subgraph as somebody.
  if (!context.principal || !context.requestId)
    throw new Error("A subgraph fetch has no verified user to sign for; nothing is sent.");
  return {
    sub: context.principal.id,
    roles: context.principal.roles,
    ...(context.principal.agency !== undefined ? { agency: context.principal.agency } : {}),
    ...(context.enquiryId !== undefined ? { enquiry: context.enquiryId } : {}),
    rid: context.requestId,
  };
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
  ) {
    super({ url });
  }

  override async willSendRequest(
    options: GraphQLDataSourceProcessOptions<Partial<GatewayContext>>,
  ): Promise<void> {
    // Only a client's operation has an incoming request (the kind enum is not exported).
    const caller =
      "incomingRequestContext" in options ? callerOf(options.context) : gatewayCaller();
    options.request.http?.headers.set(CONTEXT_HEADER, await this.sign(this.subgraph, caller));
  }
}
