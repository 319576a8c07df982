import type { Authority } from "../authz/ability.ts";
import { PurposeError } from "../authz/purpose.ts";
import { RequestRefused, ServiceUnavailable } from "../errors/catalogue.ts";
import type { GatewayContext, StatedEnquiry } from "../request/context.ts";
import type { Stage } from "./pipeline.ts";

export const MIN_BREAK_GLASS_REASON = 20;

export interface PurposeOptions {
  resolveEnquiry: (id: string, requestId: string) => Promise<StatedEnquiry>;
  authority: () => Authority;
}

const header = (headers: Record<string, string | string[] | undefined>, name: string) => {
  const v = headers[name];
  return Array.isArray(v) ? v.join(", ") : v;
};

/**
 * Why the user asks: the enquiry they state, as the hub holds it, and the glass broken with a
 * reason by a role that may. A break-glass header from a role that may not is refused, never
 * ignored: an attempt is recorded as one, and nothing is released or notified as a break glass.
 */
export function usePurpose(options: PurposeOptions): Stage<GatewayContext> {
  return {
    name: "purpose",
    async onRequest(request) {
      const principal = request.principal;
      if (!principal) throw new Error("the purpose is settled after authentication");
      const headers = request.req.headers;
      const enquiryId = header(headers, "x-mash-enquiry")?.trim() || undefined;
      const context: GatewayContext = {
        requestId: request.requestId,
        principal,
        enquiryId,
        breakGlassReason: undefined,
        outcome: {},
      };
      // Set before any refusal below, so the record of a refused purpose names what was stated.
      request.context = context;
      // A break-glass header that is present but blank is a mistake to report, not a request without one.
      const reason = header(headers, "x-mash-break-glass")?.trim();
      if (reason !== undefined && reason.length < MIN_BREAK_GLASS_REASON) {
        throw new RequestRefused(
          "BAD_USER_INPUT",
          `X-MASH-Break-Glass needs a written reason of at least ${MIN_BREAK_GLASS_REASON} characters.`,
        );
      }
      const authority = options.authority();
      if (reason !== undefined && !authority.mayBreakGlass(principal.roles)) {
        throw new RequestRefused(
          "BREAK_GLASS_NOT_PERMITTED",
          "None of your roles may break the glass, so the request was refused and the attempt recorded. Ask a role the agreement gives break glass to, or drop X-MASH-Break-Glass.",
        );
      }
      let enquiry: StatedEnquiry | undefined;
      if (enquiryId) {
        try {
          enquiry = await options.resolveEnquiry(enquiryId, request.requestId);
        } catch (error) {
          if (!(error instanceof PurposeError)) throw error;
          if (error.status === 400) throw new RequestRefused("BAD_USER_INPUT", error.message);
          throw new ServiceUnavailable("PURPOSE_UNAVAILABLE", error.message);
        }
      }
      context.breakGlassReason = reason;
      context.authorization = {
        roles: principal.roles,
        agency: principal.agency,
        enquiry,
        breakGlass: reason !== undefined,
      };
      return undefined;
    },
  };
}
