import type { ApolloServerPlugin } from "@apollo/server";
import type { Logger } from "@mash/kit";

/**
 * A mutation may close an enquiry, or release an agency from one: before the mutation's answer
 * is sent, this gateway forgets the purposes it remembers and tells every other gateway on the
 * policy store to do the same, so a closed purpose grants nothing more from the moment its closer
 * is told it is closed (elsewhere, within a second). Only a mutation that did something counts:
 * refused ones must not let anyone make every gateway refetch every purpose.
 */
export function purposeFreshnessPlugin(options: {
  forget: () => void;
  announce: () => Promise<void>;
  logger: Logger;
}): ApolloServerPlugin<{ requestId?: string }> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operation, contextValue, response }) {
          if (operation?.operation !== "mutation") return;
          const data = response.body.kind === "single" ? response.body.singleResult.data : null;
          if (!data || !Object.values(data).some((value) => value !== null)) return;
          options.forget();
          try {
            await options.announce();
          } catch (error) {
            // This gateway already forgot; the others fall back to their purpose cache's lifetime.
            options.logger.error("purpose change not announced to other gateways", {
              rid: contextValue.requestId,
              error: (error as Error).message,
            });
          }
        },
      };
    },
  };
}
