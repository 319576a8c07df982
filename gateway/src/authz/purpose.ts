import { randomUUID } from "node:crypto";
import { CONTEXT_HEADER } from "@mash/kit";
import { GraphQLError } from "graphql";
import { Lru } from "../limits/lru.ts";
import {
  createSubgraphTransport,
  type SubgraphTransport,
} from "../transport/subgraph-transport.ts";
import type { StatedEnquiry } from "./judge.ts";

/** The one document a purpose lookup sends the hub. */
export const PURPOSE_QUERY =
  "query StatedEnquiry($id: ID!) { enquiry(id: $id) { id status subjects { id } lead research { agency releasedAt } } }";

interface HubEnquiry {
  id: string;
  status: string;
  subjects: { id: string }[];
  lead: string | null;
  research: { agency: string; releasedAt: string | null }[] | null;
}

/** The agencies taking part: the lead, and every agency asked to research and not released. */
export function participantsOf(e: Pick<HubEnquiry, "lead" | "research">): Set<string> {
  const taking = new Set<string>();
  if (e.lead) taking.add(e.lead);
  for (const r of e.research ?? []) if (!r.releasedAt) taking.add(r.agency);
  return taking;
}

export class PurposeError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Enquiries remembered at once. The key is whatever id a request states (unknown ids are
 * remembered too, so that a stream of them does not become a stream of hub lookups), so it is
 * bounded: 1,024 covers the enquiries a hub has open, each asked about within the few seconds an
 * entry lives; past it the least recently stated is dropped and looked up again when next stated.
 */
export const MAX_REMEMBERED_ENQUIRIES = 1024;

/**
 * Resolves the enquiry a request states (X-MASH-Enquiry) from the hub's own subgraph, with a short
 * cache: an enquiry's status and links change rarely, but a closed enquiry must stop granting
 * access within seconds, so entries live `ttlMs` only; and at most `maxEnquiries` are kept.
 */
export function createPurposeResolver(options: {
  hubUrl: string;
  ttlMs?: number;
  timeoutMs?: number;
  /**
   * The X-MASH-Context for the hub, signed for the gateway itself (the lookup is the gateway's,
   * and its answer is shared by every request stating the enquiry) over `body`, the exact bytes
   * sent, and carrying `requestId`, the client request that needed it. Without it the hub refuses.
   */
  signContext?: (requestId: string, body: string) => Promise<string>;
  /** How the hub is reached (CA, client certificate); plain fetch with the system's CAs if not given. */
  transport?: SubgraphTransport;
  maxEnquiries?: number;
}) {
  const transport = options.transport ?? createSubgraphTransport();
  const ttl = options.ttlMs ?? 5000;
  const cache = new Lru<string, { at: number; value: Promise<StatedEnquiry | null> }>({
    max: options.maxEnquiries ?? MAX_REMEMBERED_ENQUIRIES,
  });

  const fetchEnquiry = async (id: string, requestId: string): Promise<StatedEnquiry | null> => {
    const sent = JSON.stringify({ query: PURPOSE_QUERY, variables: { id } });
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (options.signContext) headers[CONTEXT_HEADER] = await options.signContext(requestId, sent);
    let response: Response;
    try {
      response = await transport.fetch(options.hubUrl, {
        method: "POST",
        headers,
        body: sent,
        signal: AbortSignal.timeout(options.timeoutMs ?? 2000),
      });
    } catch {
      throw new PurposeError(
        503,
        "The hub cannot be reached to check the stated enquiry; no data is returned.",
      );
    }
    const body = (await response.json().catch(() => null)) as {
      data?: { enquiry: HubEnquiry | null };
    } | null;
    if (response.status === 401)
      throw new PurposeError(
        503,
        "The hub refused the gateway's signed context, so the stated enquiry cannot be checked; no data is returned.",
      );
    if (!response.ok || !body?.data)
      throw new PurposeError(
        503,
        "The hub did not answer about the stated enquiry; no data is returned.",
      );
    const e = body.data.enquiry;
    return e
      ? {
          id: e.id,
          open: e.status === "OPEN",
          subjects: new Set(e.subjects.map((s) => s.id)),
          participants: participantsOf(e),
        }
      : null;
  };

  /** `requestId` is the client request that needs the enquiry, for the hub's log. */
  async function resolve(id: string, requestId: string = randomUUID()): Promise<StatedEnquiry> {
    if (!/^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/.test(id)) {
      throw new PurposeError(400, "X-MASH-Enquiry must be an enquiry id such as ENQ-2001.");
    }
    const now = Date.now();
    let entry = cache.get(id);
    if (!entry || now - entry.at > ttl) {
      const fetched = { at: now, value: fetchEnquiry(id, requestId) };
      entry = fetched;
      cache.set(id, fetched);
      // A failure is not remembered; but only this lookup's entry goes, not a newer one's.
      fetched.value.catch(() => {
        if (cache.peek(id) === fetched) cache.delete(id);
      });
    }
    const enquiry = await entry.value;
    if (!enquiry)
      throw new PurposeError(
        400,
        `Unknown enquiry ${id}: X-MASH-Enquiry must name an enquiry the hub holds.`,
      );
    return enquiry;
  }
  // A mutation through this gateway may have closed an enquiry or released an agency: forgetting
  // every remembered purpose before it answers makes the change hold here at once.
  return Object.assign(resolve, {
    forget: () => cache.clear(),
    /** How many enquiries are remembered now (for tests). */
    remembered: () => cache.size,
  });
}

export const purposeErrorBody = (error: PurposeError) => ({
  errors: [
    new GraphQLError(error.message, {
      extensions: { code: error.status === 400 ? "BAD_USER_INPUT" : "PURPOSE_UNAVAILABLE" },
    }).toJSON(),
  ],
});
