import { readFileSync } from "node:fs";
import type { Logger } from "@mash/kit";
import { buildSchema } from "graphql";
import { requestFacts } from "../audit/collect.ts";
import { type AuditEntry, sha256 } from "../audit/record.ts";
import type { RefusalAggregates } from "../audit/refusal-aggregates.ts";
import type { AuditLog } from "../audit/store.ts";
import type { Authority } from "../authz/ability.ts";
import { RequestRefused, ServiceUnavailable } from "../errors/catalogue.ts";
import type { Verifier } from "../identity/verify.ts";
import type { RateLimiter } from "../limits/rate-limit.ts";
import { createPipeline, type PipelineRequest, type Stage } from "../pipeline/pipeline.ts";
import { useAccessLog } from "../pipeline/use-access-log.ts";
import { useAuthenticate } from "../pipeline/use-authenticate.ts";
import { useBody } from "../pipeline/use-body.ts";
import { useRateLimit } from "../pipeline/use-rate-limit.ts";
import { NotAnOfficer, officerOf } from "./officer.ts";
import { attachResolvers, type Resolvers } from "./resolvers.ts";
import { type GovernanceRequest, useGovernanceGraphQL } from "./use-governance-graphql.ts";

const SDL = readFileSync(new URL("./schema.graphql", import.meta.url), "utf8");

export interface GovernanceApiOptions {
  verify: Verifier;
  authority: () => Authority;
  /** Every governance request and step is recorded here first; without it, nothing is served. */
  access: { audit: AuditLog; aggregates: RefusalAggregates } | undefined;
  /** Refusals to clients that are not signed in, per address. */
  anonymous: RateLimiter;
  /** Each officer's budget (MASH_GOVERNANCE_RATE_LIMIT_*). */
  rateLimiter: RateLimiter;
  resolvers: Resolvers[];
  logger: Logger;
  maxBodyBytes: number;
  maxTokens: number;
}

/** A governance role and an agency the policy knows, or 403: a practitioner reads no log. */
function useOfficer(authority: () => Authority): Stage<GovernanceRequest> {
  return {
    name: "officer",
    onRequest(request) {
      const principal = request.principal;
      if (!principal) throw new Error("the officer is known after authentication");
      // Set before the check, so a refused practitioner's record still says what they asked.
      request.context = { requestId: request.requestId, principal, steps: 0 };
      try {
        request.context.officer = officerOf(principal, authority());
      } catch (error) {
        if (error instanceof NotAnOfficer) throw new RequestRefused("FORBIDDEN", error.message);
        throw error;
      }
      return undefined;
    },
  };
}

/** The record of a governance request that made no step (a step is its own record). */
function governanceRecord(
  request: PipelineRequest<GovernanceRequest>,
  refusal: () => string | undefined,
): AuditEntry | undefined {
  const context = request.context;
  if (context && context.steps > 0) return undefined;
  const principal = request.principal;
  return {
    ...requestFacts({ requestId: request.requestId, principal }),
    operationName: request.payload?.operationName ?? null,
    queryHash: sha256(request.payload?.query ?? ""),
    subjects: [],
    released: [],
    withheld: [],
    governance: {
      action: context?.action ?? "refused",
      agency: context?.officer?.agency ?? principal?.agency ?? "",
    },
    ...(request.reply && request.reply.status >= 400 && refusal() !== undefined
      ? { refusal: refusal() }
      : {}),
    outcome: context?.outcome ?? "refused",
  };
}

/**
 * POST /governance/graphql: the governance officers' API (schema.graphql). Plain graphql-js, not
 * the federated graph, so no subject data can be reached from here. The same pipeline as the
 * graph's: every request, refused or answered, leaves exactly one record (an answered step is
 * its own record, written before the step takes effect); officers have their own rate budget.
 */
export function createGovernanceApi(options: GovernanceApiOptions) {
  const schema = attachResolvers(buildSchema(SDL), meResolvers(), ...options.resolvers);
  const { access, logger } = options;
  if (!access) {
    const off: Stage<GovernanceRequest> = {
      name: "no access log",
      onRequest() {
        throw new ServiceUnavailable(
          "AUDIT_UNAVAILABLE",
          "This gateway keeps no access log, so governance is off.",
        );
      },
    };
    return createPipeline([off], logger);
  }
  return createPipeline<GovernanceRequest>(
    [
      useAccessLog({
        ...access,
        logger,
        api: "governance",
        entryFor: governanceRecord,
      }),
      useAuthenticate({ verify: options.verify, anonymous: options.anonymous }),
      useOfficer(options.authority),
      useRateLimit(options.rateLimiter, "officer"),
      useBody({ maxBodyBytes: options.maxBodyBytes, methods: ["POST"] }),
      useGovernanceGraphQL({ schema, audit: access.audit, logger, maxTokens: options.maxTokens }),
    ],
    logger,
  );
}

function meResolvers(): Resolvers {
  return { Query: { me: (_source, _args, context) => context.officer } };
}
