import { createHash } from "node:crypto";
import type { GatewayGraphQLRequestContext } from "@apollo/server-gateway-interface";
import { type DocumentNode, GraphQLError, type GraphQLSchema, print } from "graphql";
import { Lru } from "../limits/lru.ts";
import type { Authority } from "./ability.ts";
import { type CompiledOperation, compileOperation } from "./filter-plan.ts";
import type { Judge } from "./judge.ts";
import { rewriteForAuthorization } from "./rewrite.ts";

/**
 * Rewritten documents and their compiled passes, per document and authorization context. Bounded
 * by count and by the client documents' length (a compiled document holds some hundred bytes per
 * character of query text: about 100 MB at the bound); one document longer than the size bound
 * is rewritten for each request, never kept.
 */
const MAX_CACHED = 1000;
const MAX_CACHED_CHARACTERS = 1_000_000;

/** One document in one authorization context: what is planned, and how its result is filtered. */
export interface Rewritten {
  document: DocumentNode;
  /** The client document's length: its share of the cache's bound. */
  characters: number;
  queryHash: string;
  /** The compiled result pass, for the schema and policy it was compiled with; null: none. */
  compiled?: { pass: CompiledOperation | null; schema: GraphQLSchema; authority: Authority };
}

/**
 * The per-request rewrite, kept: each document rewritten for its authorization context and re-keyed
 * (a new queryHash) so query plans are never shared between different authorization contexts (the
 * gateway caches plans by queryHash).
 */
export class RewrittenDocuments {
  private readonly rewritten = new Lru<string, Rewritten>({
    max: MAX_CACHED,
    maxSize: MAX_CACHED_CHARACTERS,
    sizeOf: (entry) => entry.characters,
  });

  /** How many rewritten documents are kept, and their documents' summed length. */
  get cached(): { count: number; characters: number } {
    return { count: this.rewritten.size, characters: this.rewritten.totalSize };
  }

  /** The request's document rewritten for this judge, kept or rewritten now; a refusal's error. */
  rewrittenFor(rc: GatewayGraphQLRequestContext, judge: Judge): Rewritten | GraphQLError {
    const cacheKey = `${judge.key}|${rc.queryHash}|${rc.operationName ?? ""}`;
    let entry = this.rewritten.get(cacheKey);
    if (!entry) {
      let document: DocumentNode;
      try {
        document = rewriteForAuthorization(rc.schema, rc.document, judge);
      } catch (error) {
        if (error instanceof GraphQLError) return error;
        throw error;
      }
      entry = {
        document,
        characters: rc.request.query?.length ?? rc.source?.length ?? 0,
        queryHash: createHash("sha256").update(print(document)).digest("hex"),
      };
      this.rewritten.set(cacheKey, entry);
    }
    return entry;
  }

  /** The entry's compiled pass, compiled now if the schema or the policy changed since. */
  compiledFor(
    entry: Rewritten,
    schema: GraphQLSchema,
    authority: Authority,
    rc: GatewayGraphQLRequestContext,
    judge: Judge,
  ): CompiledOperation | null {
    const known = entry.compiled;
    if (known && known.schema === schema && known.authority === authority) return known.pass;
    let pass: CompiledOperation | null = null;
    try {
      pass = compileOperation(schema, rc.document, rc.operationName, judge.key) ?? null;
    } catch {
      pass = null;
    }
    entry.compiled = { pass, schema, authority };
    return pass;
  }
}
