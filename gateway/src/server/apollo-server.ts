import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import {
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from "@apollo/server/plugin/disabled";
import type { GatewayInterface } from "@apollo/server-gateway-interface";
import type { Logger } from "@mash/kit";
import type { DocumentNode, FormattedExecutionResult } from "graphql";
import type { Authority } from "../authz/ability.ts";
import type { GatewayContext } from "../request/context.ts";
import { type BoundedStore, documentStore } from "./bounded-store.ts";
import { errorLogPlugin, formatError } from "./error-format.ts";
import { purposeFreshnessPlugin } from "./purpose-freshness.ts";
import { resultBytes } from "./result-json.ts";

/**
 * Apollo Server as the pipeline's GraphQL stage runs it: the (authorizing) gateway, production
 * error formatting, nothing reported to Apollo. Token, depth, alias and cost limits are the
 * pipeline's limits stage, before it.
 */
export function createApolloServer(options: {
  served: GatewayInterface;
  /** Validation errors as the requester's role schema gives them (authz/role-schema.ts). */
  validation: ApolloServerPlugin<GatewayContext<Authority>> | undefined;
  forgetPurposes: () => void;
  announcePurposeChange: () => Promise<void>;
  logger: Logger;
  /** Where validated documents are kept: a bounded store with the default bounds if not given. */
  documents?: BoundedStore<DocumentNode>;
}) {
  return new ApolloServer<GatewayContext<Authority>>({
    // The entry points own SIGINT/SIGTERM (drain, then exit); Apollo's own handlers would race them.
    stopOnTerminationSignals: false,
    gateway: options.served,
    // Apollo keeps every validated document by its text; a client can send any number of texts,
    // so the store is bounded explicitly (bounded-store.ts says why these bounds).
    documentStore: options.documents ?? documentStore(),
    includeStacktraceInErrorResponses: false,
    formatError,
    // JSON.stringify's text as UTF-8 bytes, with what a big answer repeats written once
    // (result-json.ts). Apollo declares a string here but only passes the value on, as the
    // body's `string` (runHttpQuery, and its early-error path), to use-graphql.ts, which
    // takes bytes as they are: the one 180 KB text a list of fifty would make is never made.
    stringifyResult: resultBytes as unknown as (result: FormattedExecutionResult) => string,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      errorLogPlugin(options.logger),
      purposeFreshnessPlugin({
        forget: options.forgetPurposes,
        announce: options.announcePurposeChange,
        logger: options.logger,
      }),
      ...(options.validation ? [options.validation] : []),
    ],
  });
}
