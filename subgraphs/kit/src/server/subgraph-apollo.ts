import { ApolloServer } from "@apollo/server";
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
} from "@apollo/server/plugin/disabled";
import { buildSubgraphSchema } from "@apollo/subgraph";
import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper/resolverMap.js";
import { operationFactsPlugin } from "../served/operation-facts.ts";
import type { Store } from "../store/open-store.ts";
import type { AnyAgency } from "./agency.ts";
import { storeDamagePlugin } from "./store-unavailable.ts";

/** The agency's Apollo server over its subgraph schema, started, with the kit's plugins. */
export async function startSubgraphApollo(
  agency: AnyAgency,
  store: Store<unknown>,
): Promise<ApolloServer> {
  const apollo = new ApolloServer({
    // The entry points own SIGINT/SIGTERM (drain, then exit); Apollo's own handlers would race them.
    stopOnTerminationSignals: false,
    schema: buildSubgraphSchema({
      typeDefs: agency.typeDefs,
      // The map is typed against this agency's context; Apollo's builder only knows `unknown`.
      resolvers: agency.resolvers as GraphQLResolverMap<unknown>,
    }),
    plugins: [
      // Traces would carry timing of other agencies' data to whoever asks; nothing reports them.
      ApolloServerPluginInlineTraceDisabled(),
      // Nothing a subgraph answers may be cached (graphql-handler.ts says so on every answer), so
      // per-field cache hints have no use; the plugin that gathers them hooks every resolver,
      // which made each field resolved cost several times its own work.
      ApolloServerPluginCacheControlDisabled(),
      // What each request's operation was, for its served-log entry.
      operationFactsPlugin(),
      // A damaged store: 503 to all but the schema, so the gateway names the agency unavailable.
      storeDamagePlugin(store),
    ],
    includeStacktraceInErrorResponses: false,
  });
  await apollo.start();
  return apollo;
}
