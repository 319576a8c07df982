import { GraphQLError } from "graphql";
import type { Kysely } from "kysely";
import {
  type AccessLogFilter,
  acknowledgeNotification,
  QueryInputError,
  queryAccessLog,
  queryNotifications,
} from "../audit/queries.ts";
import type { AuditTables } from "../audit/store.ts";
import type { Resolvers } from "./resolvers.ts";

const badInput = (error: unknown): never => {
  if (error instanceof QueryInputError)
    throw new GraphQLError(error.message, { extensions: { code: "BAD_USER_INPUT" } });
  throw error;
};

/**
 * The access log and owner notifications, always for the officer's own agency: the agency comes
 * from their sign-in, never from an argument.
 */
export function accessLogResolvers(db: () => Kysely<AuditTables> | undefined): Resolvers {
  const store = () => {
    const found = db();
    if (!found)
      throw new GraphQLError("This gateway keeps no access log.", {
        extensions: { code: "AUDIT_UNAVAILABLE" },
      });
    return found;
  };
  return {
    Query: {
      async accessLog(_, args, context) {
        const { filter, first, after } = args as {
          filter?: AccessLogFilter;
          first?: number;
          after?: string;
        };
        const page = await queryAccessLog(
          store(),
          context.officer.agency,
          filter ?? {},
          first,
          after,
        ).catch(badInput);
        return { entries: page.items, nextCursor: page.nextCursor };
      },
      async notifications(_, args, context) {
        const { acknowledged, first, after } = args as {
          acknowledged?: boolean;
          first?: number;
          after?: string;
        };
        const page = await queryNotifications(
          store(),
          context.officer.agency,
          acknowledged,
          first,
          after,
        ).catch(badInput);
        return { notifications: page.items, nextCursor: page.nextCursor };
      },
    },
    Mutation: {
      async acknowledgeNotification(_, args, context) {
        const { id } = args as { id: string };
        const found = await acknowledgeNotification(
          store(),
          context.officer.agency,
          id,
          context.officer.id,
        );
        if (!found)
          throw new GraphQLError(`No notification ${id} for ${context.officer.agencyTitle}.`, {
            extensions: { code: "NOT_FOUND" },
          });
        return found;
      },
    },
  };
}
