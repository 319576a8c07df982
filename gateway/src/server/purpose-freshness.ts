import type { ApolloServerPlugin } from "@apollo/server";

/**
 * A mutation may close an enquiry, or release an agency from one: the purposes this gateway
 * remembers are forgotten before the mutation's answer is sent, so a closed purpose grants
 * nothing more through this gateway from the moment its closer is told it is closed.
 */
export function purposeFreshnessPlugin(forget: () => void): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operation }) {
          if (operation?.operation === "mutation") forget();
        },
      };
    },
  };
}
