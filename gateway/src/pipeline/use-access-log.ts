import type { Logger } from "@mash/kit";
import type { AuditEntry } from "../audit/record.ts";
import type { RefusalAggregates } from "../audit/refusal-aggregates.ts";
import type { AuditLog } from "../audit/store.ts";
import { ServiceUnavailable } from "../errors/catalogue.ts";
import { firstErrorCode, type PipelineRequest, replyFor, type Stage } from "./pipeline.ts";

export interface AccessLogOptions<C> {
  audit: AuditLog;
  aggregates: RefusalAggregates;
  logger: Logger;
  /** Which API this list serves: the aggregates are kept apart per API. */
  api: string;
  /**
   * The record of a signed-in request, or undefined when it recorded itself (a governance step).
   * `refusal` reads the code the request was refused with: called only by a record that names
   * one, because finding an answer's first error code scans its reply (often 100 KB and more).
   */
  entryFor: (
    request: PipelineRequest<C>,
    refusal: () => string | undefined,
  ) => AuditEntry | undefined;
}

/** Why a request that was not answered was refused: its error code. */
export const refusalOf = <C>(request: PipelineRequest<C>): string | undefined =>
  request.refusal?.code ?? (request.reply ? firstErrorCode(request.reply) : undefined);

/**
 * The one place a request's record is written: after whichever stage ended it, before its reply
 * leaves. A record that cannot be written turns the reply into AUDIT_UNAVAILABLE: no record, no
 * answer (fail closed). Clients that are not signed in, and requests past a rate budget, are
 * counted into per-minute aggregates instead (audit/refusal-aggregates.ts).
 */
export function useAccessLog<C>(options: AccessLogOptions<C>): Stage<C> {
  return {
    name: "access log",
    onRequest() {
      return async (request) => {
        // Strangers, and anyone past their budget, are counted, not recorded one by one: a
        // flood (with no token, or one captured token) must not bury the log's real entries.
        if (!request.principal || request.refusal?.code === "RATE_LIMITED") {
          options.aggregates.count(
            request.address,
            refusalOf(request) ?? "REFUSED",
            options.api,
            request.requestId,
            request.principal,
          );
          return;
        }
        let refusal: { code: string | undefined } | undefined;
        const entry = options.entryFor(request, () => {
          refusal ??= { code: refusalOf(request) };
          return refusal.code;
        });
        if (!entry) return;
        try {
          await options.audit.append(entry);
        } catch (error) {
          options.logger.error("audit record not written; the request got no data", {
            rid: request.requestId,
            error: (error as Error).message,
          });
          request.reply = replyFor(
            new ServiceUnavailable(
              "AUDIT_UNAVAILABLE",
              "The access log cannot record this request, so no data is returned. Try again shortly.",
            ),
          );
        }
      };
    },
  };
}
