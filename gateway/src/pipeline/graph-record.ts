import { auditEntry, refusedEntry } from "../audit/collect.ts";
import type { AuditEntry } from "../audit/record.ts";
import type { GatewayContext } from "../request/context.ts";
import type { PipelineRequest } from "./pipeline.ts";

/**
 * The record of one /graphql request from what its stages learned: an answer's fields and people
 * as the filter collected them, or the refusal's code, with who asked and why as far as known.
 */
export function graphRecord<C extends GatewayContext<unknown>>(
  request: PipelineRequest<C>,
  /** Read only when the record names a refusal (use-access-log.ts says why). */
  refusal: () => string | undefined,
): AuditEntry {
  const context = request.context ?? {
    requestId: request.requestId,
    principal: request.principal,
    enquiryId: undefined,
    breakGlassReason: undefined,
  };
  const answered = request.context?.outcome.answered;
  if (answered) {
    const entry = auditEntry({ context: context as GatewayContext, answered });
    // An answer the access log or a later stage replaced is recorded as what the client got.
    if (request.refusal || (request.reply && request.reply.status >= 400))
      return { ...entry, refusal: refusal() ?? "REFUSED", outcome: "refused" };
    return entry;
  }
  return refusedEntry({
    context,
    code: refusal() ?? "REFUSED",
    queryText: request.payload?.query,
    operationName: request.payload?.operationName,
  });
}
