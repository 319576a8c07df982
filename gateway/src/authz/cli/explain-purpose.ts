import { GATEWAY_SUBJECT, type loadContextSigningKey, signContext } from "@mash/kit";
import { isHttpUrl, type SupergraphGraph } from "../../compose/supergraph-subgraphs.ts";
import { defaultSubgraphs, parseSubgraphUrls } from "../../config.ts";
import type { SubgraphTransport } from "../../transport/subgraph-transport.ts";
import type { StatedEnquiry } from "../judge.ts";
import type { PolicySet } from "../policy/types.ts";
import { createPurposeResolver, PurposeError } from "../purpose.ts";
import { ExplainError } from "./explain-error.ts";

type ContextKey = Awaited<ReturnType<typeof loadContextSigningKey>>;

export interface ExplainPurposeOptions {
  policy: PolicySet;
  enquiry: string;
  subject?: string | undefined;
  /** The requester's agency, which must take part in the enquiry. */
  agency: string | undefined;
  /**
   * --hub-url; else the hub's subgraph URL in `subgraphUrls` (MASH_SUBGRAPH_URLS), else the one
   * the supergraph file recorded (`supergraphGraphs`), else the defaults when no
   * MASH_SUBGRAPH_URLS is set.
   */
  hubUrl?: string | undefined;
  subgraphUrls?: string | undefined;
  /** The supergraph file's subgraphs and the URLs composition recorded for them. */
  supergraphGraphs?: readonly SupergraphGraph[] | undefined;
  /** How the hub is reached (the gateway's CA and client certificate); plain fetch if not given. */
  transport?: SubgraphTransport | undefined;
  /** The gateway's context-signing key if this machine has it; never minted here. */
  contextSigningKey: () => Promise<ContextKey>;
}

/**
 * The subgraph's URL as a gateway on this supergraph file would have it: MASH_SUBGRAPH_URLS
 * first, then the URL the file recorded at composition (a graph composed elsewhere names its
 * own hub); the defaults only when MASH_SUBGRAPH_URLS is not set, as before. A bad
 * MASH_SUBGRAPH_URLS is said as such.
 */
function subgraphUrl(
  raw: string | undefined,
  recorded: readonly SupergraphGraph[] | undefined,
  name: string,
): string | undefined {
  let configured: { name: string; url: string }[] | undefined;
  try {
    configured = raw ? parseSubgraphUrls(raw) : undefined;
  } catch (error) {
    throw new ExplainError((error as Error).message);
  }
  const given = configured?.find((s) => s.name === name)?.url;
  if (given) return given;
  const fromFile = recorded?.find((g) => g.name === name)?.url;
  if (fromFile && isHttpUrl(fromFile)) return fromFile;
  return configured ? undefined : defaultSubgraphs.find((s) => s.name === name)?.url;
}

/**
 * Asks the running hub whether the enquiry is open, links the subject and has the agency take
 * part; without a reachable hub, says what it assumed (open and linking the person).
 */
export async function explainPurpose(
  options: ExplainPurposeOptions,
): Promise<{ inEnquiry: boolean; purpose: string }> {
  const { policy, agency, subject } = options;
  // Where a gateway on this supergraph would ask; MASH_SUBGRAPH_URLS read by its parser.
  const hubSubgraph = policy.agencies.get(policy.hub)?.subgraphs[0] ?? policy.hub;
  const hubUrl =
    options.hubUrl ?? subgraphUrl(options.subgraphUrls, options.supergraphGraphs, hubSubgraph);
  if (hubUrl === undefined)
    throw new ExplainError(`No URL for the hub's subgraph "${hubSubgraph}": give --hub-url.`);
  // The hub answers only contexts the gateway signs: without the key the hub refuses, and
  // explain says what it assumed.
  const key = await options.contextSigningKey();
  let enquiry: StatedEnquiry | undefined;
  try {
    enquiry = await createPurposeResolver({
      hubUrl,
      timeoutMs: 1500,
      ...(options.transport ? { transport: options.transport } : {}),
      signContext: key
        ? (rid, body) =>
            signContext(key.value, hubSubgraph, { sub: GATEWAY_SUBJECT, roles: [], rid }, body)
        : undefined,
    })(options.enquiry);
  } catch (error) {
    if (!(error instanceof PurposeError) || error.status === 400)
      throw new ExplainError((error as Error).message);
    return {
      inEnquiry: true,
      purpose: `${options.enquiry} (hub not reachable at ${hubUrl}: assumed open and linking the person)`,
    };
  }
  if (!enquiry) return { inEnquiry: false, purpose: "no enquiry stated" };
  const linked = subject ? enquiry.subjects.has(subject) : true;
  const part = agency !== undefined && enquiry.participants.has(agency);
  return {
    inEnquiry: enquiry.open && linked && part,
    purpose: `${enquiry.id}, ${enquiry.open ? "open" : "closed"}${subject ? `, ${linked ? "links" : "does not link"} ${subject}` : " (assuming it links the person)"}, ${agency ?? "no agency"} ${part ? "takes part" : "takes no part"}`,
  };
}
