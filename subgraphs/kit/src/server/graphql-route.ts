import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApolloServer } from "@apollo/server";
import { graphqlHandler, sendGraphQLError } from "../http/index.ts";
import type { Logger } from "../logger.ts";
import { type createGate, withBody } from "../served/gate.ts";
import { noOperation, OPERATION_FACTS, type OperationFacts } from "../served/operation-facts.ts";
import type { Store } from "../store/open-store.ts";
import type { CallerContext } from "../trust/context.ts";
import type { AnyAgency } from "./agency.ts";
import { MAX_BODY_BYTES, readBodyOrRefuse } from "./read-body.ts";

export interface GraphqlRouteOptions {
  apollo: ApolloServer;
  agency: AnyAgency;
  store: Store<unknown>;
  /** The agency's own settings, handed to its resolvers in the context. */
  settings: unknown;
  gate: ReturnType<typeof createGate>;
  logger: Logger;
}

/**
 * POST /graphql. Every GraphQL request, _entities and _service included, must carry the
 * gateway's signature over this very body, used once: a subgraph reachable on the network must
 * be no way around the gateway's authorization, nor a token taken from its traffic a key to this
 * subgraph.
 */
export function graphqlRoute(options: GraphqlRouteOptions) {
  const { apollo, agency, store, settings, gate, logger } = options;
  const admitted = new WeakMap<IncomingMessage, { caller: CallerContext; facts: OperationFacts }>();
  const handleGraphQL = graphqlHandler({
    server: apollo,
    maxBodyBytes: MAX_BODY_BYTES,
    context: async (req) => {
      const request = admitted.get(req);
      return {
        store,
        settings,
        loaders: agency.createLoaders(store),
        caller: request?.caller,
        [OPERATION_FACTS]: request?.facts,
      };
    },
  });

  return async (req: IncomingMessage, res: ServerResponse) => {
    const refuse = (status: number, message: string, code: string) =>
      sendGraphQLError(res, status, message, code);
    const body = await readBodyOrRefuse(req, (message) =>
      refuse(413, message, "PAYLOAD_TOO_LARGE"),
    );
    if (!body) return;
    const request = await gate.admit(req, body, refuse, "a request");
    if (!request) return;
    const { caller } = request.verified;
    // The gateway only POSTs: a GET carries its operation in the URL, which no context covers.
    if (req.method !== "POST") {
      gate.refused(request, "method", 405);
      res.setHeader("allow", "POST");
      refuse(405, "This subgraph answers GraphQL over POST only.", "METHOD_NOT_ALLOWED");
      return;
    }
    const facts = noOperation();
    const again = withBody(req, body);
    admitted.set(again, { caller, facts });
    // At the end, so the entry and the line carry the outcome; rid joins them to the gateway's.
    const started = performance.now();
    res.once("close", () => {
      const status = res.writableFinished ? res.statusCode : 499;
      gate.served(request, facts, status);
      logger.info("graphql request", {
        rid: caller.rid,
        status,
        ms: Math.round(performance.now() - started),
      });
    });
    await handleGraphQL(again, res);
  };
}
