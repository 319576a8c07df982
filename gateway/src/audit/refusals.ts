import type { ApolloServerPlugin } from "@apollo/server";
import type { Logger } from "@mash/kit";
import type { GatewayContext } from "../server/request-auth.ts";
import { refusedEntry } from "./collect.ts";
import type { AuditLog } from "./store.ts";

/**
 * Requests refused before anything was fetched (a bad token, an unknown enquiry, the rate limit,
 * a query that does not parse or validate) are recorded too: an officer reviewing who tried to
 * reach what needs the attempts, not only the answers. They carry no data, so a record that
 * cannot be written is logged rather than turned into a different refusal.
 */
export function recordRefusal(
  audit: AuditLog,
  logger: Logger,
  context: Partial<GatewayContext> & { requestId: string },
  code: string,
  query?: { text?: string; operationName?: string | null },
): Promise<void> {
  return audit
    .append(
      refusedEntry({
        context,
        code,
        queryText: query?.text,
        operationName: query?.operationName,
      }),
    )
    .then(
      () => {},
      (error: Error) =>
        logger.error("audit record of a refused request not written", {
          rid: context.requestId,
          error: error.message,
        }),
    );
}

/** Records requests Apollo refused before the authorizing gateway's executor ran. */
export function refusedRequestsPlugin(
  audit: AuditLog,
  logger: Logger,
): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response, request }) {
          if (contextValue.audited) return;
          const errors = response.body.kind === "single" ? response.body.singleResult.errors : [];
          const code = errors?.[0]?.extensions?.code;
          await recordRefusal(
            audit,
            logger,
            contextValue,
            typeof code === "string" ? code : "REFUSED",
            { text: request.query, operationName: request.operationName },
          );
        },
      };
    },
  };
}
