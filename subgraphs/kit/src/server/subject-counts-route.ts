import type { IncomingMessage, ServerResponse } from "node:http";
import { sendJson } from "../http/index.ts";
import type { Logger } from "../logger.ts";
import type { createGate } from "../served/gate.ts";
import { noOperation, type OperationFacts } from "../served/operation-facts.ts";
import type { Store } from "../store/open-store.ts";
import { GATEWAY_SUBJECT } from "../trust/context.ts";
import type { AnyAgency } from "./agency.ts";
import { sendStoreDamaged } from "./store-unavailable.ts";
import { objectTypeNames, SUBJECT_COUNTS_PATH, type SubjectCountsBody } from "./subject-counts.ts";

const countsFacts: OperationFacts = { ...noOperation(), operation: "subject-counts" };

export interface SubjectCountsRouteOptions {
  agency: AnyAgency;
  store: Store<unknown>;
  gate: ReturnType<typeof createGate>;
  logger: Logger;
  /** The body as it came, or undefined once `refuse` has answered (too large). */
  bodyOf(req: IncomingMessage, refuse: (message: string) => void): Promise<Buffer | undefined>;
}

/** GET /subject-counts (subject-counts.ts): the gateway's request for this agency's counts. */
export function subjectCountsRoute(options: SubjectCountsRouteOptions) {
  const { agency, store, gate, logger, bodyOf } = options;
  // Root operation types hold no subject's records, so no count may be filed under them.
  const countableTypes = objectTypeNames(agency.typeDefs);
  for (const root of ["Query", "Mutation", "Subscription"]) countableTypes.delete(root);

  // Counts carry no record values, but how many people an agency knows, by kind of record, is
  // still the agency's information: only the gateway, acting for itself, gets them.
  const subjectCounts = async (req: IncomingMessage, res: ServerResponse) => {
    const refuse = (status: number, message: string, code: string) =>
      sendJson(res, status, { error: message, code });
    const body = await bodyOf(req, (message) => refuse(413, message, "PAYLOAD_TOO_LARGE"));
    if (!body) return;
    const request = await gate.admit(req, body, refuse, "a subject count request");
    if (!request) return;
    const { caller } = request.verified;
    const answer = (status: number) => gate.served(request, countsFacts, status);
    // Only the gateway's own context opens this route, never a user's (which once verified
    // for any request to this subgraph, and still names a route the gateway never calls for them).
    if (caller.sub !== GATEWAY_SUBJECT) {
      logger.warn("refused a subject count request made for a user", { rid: caller.rid });
      gate.refused(request, "not-the-gateway", 403);
      refuse(
        403,
        "Subject counts are answered to the gateway's own requests only, not a user's.",
        "FORBIDDEN",
      );
      return;
    }
    if (req.method !== "GET") {
      gate.refused(request, "method", 405);
      res.setHeader("allow", "GET");
      sendJson(res, 405, { error: `${SUBJECT_COUNTS_PATH} answers GET only.` });
      return;
    }
    if (store.damage) {
      gate.refused(request, "store-damaged", 503);
      sendStoreDamaged(res, agency.name);
      return;
    }
    if (!agency.subjectCounts) {
      answer(404);
      sendJson(res, 404, { error: `The ${agency.name} subgraph does not count subjects.` });
      return;
    }
    const started = performance.now();
    const counts = await agency.subjectCounts(store);
    // A count under a name that is not one of this subgraph's types would be matched to no
    // rule (or to another agency's type): fail loudly rather than mislead a governance officer.
    const strays = Object.keys(counts).filter((type) => !countableTypes.has(type));
    if (strays.length > 0) {
      answer(500);
      throw new Error(`subject counts name types the schema does not define: ${strays.join(", ")}`);
    }
    logger.info("subject counts", {
      rid: caller.rid,
      ms: Math.round(performance.now() - started),
    });
    const reply: SubjectCountsBody = { agency: agency.name, counts };
    answer(200);
    sendJson(res, 200, reply);
  };
  return subjectCounts;
}
