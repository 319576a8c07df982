import type { Generated, Kysely, Migration } from "kysely";
import type { Dialect } from "../store/open-store.ts";

/** What a subgraph did with one request that reached it: served, or refused and why. */
export type ServedOutcome = "served" | "refused";

/**
 * One row of an agency's own record of what it served. Only what identifies the request and its
 * reach (who, which request, how many people): never a variable's value or a record's content.
 */
export interface ServedRow {
  id: number;
  /** When the request arrived (ISO 8601, UTC). */
  at: string;
  outcome: ServedOutcome;
  /** Why it was refused (a RefusalReason, or "method"); null when served. */
  reason: string | null;
  /** The gateway's request id: null when the context did not verify (nothing of it is trusted). */
  rid: string | null;
  jti: string | null;
  /** sha256 of the body received, base64url: what the context was (or was not) signed for. */
  body_digest: string;
  /** The user (or mash-gateway) the context was signed for; null when it did not verify. */
  sub: string | null;
  /** The roles it was signed with, sorted and comma-separated (as the access log keeps them). */
  roles: string | null;
  /** The enquiry it was signed for, when one was stated. */
  enquiry: string | null;
  /** "query", "mutation", "subject-counts"; null when no operation was resolved. */
  operation: string | null;
  /** The root fields asked for, comma-separated ("_entities", "_service", "enquiry"). */
  root_fields: string | null;
  /** sha256 of the GraphQL document (hex, as Apollo's queryHash): which document was run. */
  query_hash: string | null;
  /** How many entity representations an `_entities` request named; 0 otherwise. */
  entities: number;
  /** The HTTP status answered; 499 when the caller went away first. */
  status: number | null;
}

export interface ServedTables {
  served_requests: Omit<ServedRow, "id"> & { id: Generated<number> };
}

export const SERVED_TABLE = "served_requests";

/**
 * The kit's own tables, in every agency's store (the hub's included), versioned apart from the
 * agency's migrations (open-store.ts `kitMigrations`). Names never change once shipped.
 */
export function servedMigrations(dialect: Dialect): Record<string, Migration> {
  return {
    kit_0001_served_requests: {
      // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then, not today's types.
      async up(db: Kysely<any>) {
        await db.schema
          .createTable(SERVED_TABLE)
          .addColumn("id", dialect === "postgres" ? "bigserial" : "integer", (c) => c.primaryKey())
          .addColumn("at", "text", (c) => c.notNull())
          .addColumn("outcome", "text", (c) => c.notNull())
          .addColumn("reason", "text")
          .addColumn("rid", "text")
          .addColumn("jti", "text")
          .addColumn("body_digest", "text", (c) => c.notNull())
          .addColumn("sub", "text")
          .addColumn("roles", "text")
          .addColumn("enquiry", "text")
          .addColumn("operation", "text")
          .addColumn("root_fields", "text")
          .addColumn("query_hash", "text")
          .addColumn("entities", "integer", (c) => c.notNull().defaultTo(0))
          .addColumn("status", "integer")
          .execute();
        await db.schema.createIndex("served_requests_at").on(SERVED_TABLE).column("at").execute();
        await db.schema.createIndex("served_requests_rid").on(SERVED_TABLE).column("rid").execute();
      },
    },
  };
}
