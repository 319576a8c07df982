import type { ServerResponse } from "node:http";
import type { ApolloServerPlugin, BaseContext } from "@apollo/server";
import { type DocumentNode, GraphQLError, type OperationDefinitionNode } from "graphql";
import { sendJson } from "../http/respond.ts";
import type { Logger } from "../logger.ts";
import { rootFieldsOf } from "../served/operation-facts.ts";
import type { Store } from "../store/open-store.ts";
import type { StoreDamage } from "../store/store-damage.ts";

/** The code a damaged store's refusals carry; the gateway answers its clients AGENCY_UNAVAILABLE. */
export const STORE_DAMAGED = "STORE_DAMAGED";

/**
 * What /health says of a damaged store, and the gateway's /health repeats. /health is open to all,
 * so it names no file, schema or database message: those are in the subgraph's log.
 */
export const STORE_DAMAGED_PROBLEM = "store damaged";

/** What a subgraph whose store is damaged answers in place of any data: the gateway's cue. */
const UNAVAILABLE_STATUS = 503;

const storeDamagedMessage = (agency: string) =>
  `The ${agency} store is damaged: this subgraph serves none of its data until an operator restores it.`;

/** Root fields answered from the schema alone, never the store. */
const SCHEMA_FIELDS = new Set(["_service", "__typename", "__schema", "__type"]);

/**
 * A query of the schema alone. A damaged store's subgraph still answers it: the gateway composes
 * the graph from every subgraph's `_service { sdl }` at start, and one agency's damaged store
 * must not stop the others being served.
 */
function readsSchemaOnly(document: DocumentNode, operation: OperationDefinitionNode): boolean {
  if (operation.operation !== "query") return false;
  return [...rootFieldsOf(document, operation)].every((field) => SCHEMA_FIELDS.has(field));
}

/**
 * Once the store is damaged, every GraphQL request but a schema query is answered 503, so the
 * gateway reports the agency unavailable at its section instead of an internal error per
 * person. Refused before any resolver runs, and also at the end of the request during which the
 * damage was found: its resolvers failed on the store, and their errors say nothing the 503 does
 * not say better.
 */
export function storeDamagePlugin(
  store: Pick<Store<unknown>, "agency" | "damage">,
): ApolloServerPlugin<BaseContext> {
  const refusal = () => ({
    message: storeDamagedMessage(store.agency),
    extensions: { code: STORE_DAMAGED },
  });
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation }) {
          if (!store.damage || (operation && readsSchemaOnly(document, operation))) return;
          const { message, extensions } = refusal();
          throw new GraphQLError(message, {
            extensions: { ...extensions, http: { status: UNAVAILABLE_STATUS } },
          });
        },
        async willSendResponse({ document, operation, response }) {
          if (!store.damage) return;
          if (document && operation && readsSchemaOnly(document, operation)) return;
          response.http.status = UNAVAILABLE_STATUS;
          response.body = { kind: "single", singleResult: { errors: [refusal()] } };
        },
      };
    },
  };
}

/** The same refusal for a route outside GraphQL (the subject counts). */
export function sendStoreDamaged(res: ServerResponse, agency: string): void {
  sendJson(res, UNAVAILABLE_STATUS, { error: storeDamagedMessage(agency), code: STORE_DAMAGED });
}

/**
 * GET /health: 503 naming the problem while the store is damaged or does not answer (the
 * gateway's /health repeats the problem), else 200.
 */
export function answerHealth(store: Store<unknown>, logger: Logger, res: ServerResponse): void {
  const unavailable = (problem: string) =>
    sendJson(res, UNAVAILABLE_STATUS, { status: "unavailable", agency: store.agency, problem });
  if (store.damage) {
    unavailable(STORE_DAMAGED_PROBLEM);
    return;
  }
  store.ping().then(
    () => sendJson(res, 200, { status: "ok", agency: store.agency }),
    (error: Error) => {
      // The ping itself may be what finds the damage.
      if (store.damage) return unavailable(STORE_DAMAGED_PROBLEM);
      logger.error("health check: store does not answer", { error: error.message });
      unavailable("store does not answer");
    },
  );
}

/**
 * The error-level line an operator needs, once, when the damage is found: which agency, which
 * file or schema, and what the database said. Record values never appear in it.
 */
export function logStoreDamage(logger: Logger, damage: StoreDamage, found: string): void {
  logger.error(
    `store damaged (found ${found}): ${damage.agency} serves none of its data until the store is restored or reseeded`,
    { agency: damage.agency, store: damage.where, code: damage.code, error: damage.message },
  );
}
