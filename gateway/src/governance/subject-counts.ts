import { CONTEXT_HEADER, SUBJECT_COUNTS_PATH, type SubjectCounts } from "@mash/kit";

export interface SubjectCountsOptions {
  subgraphs: { name: string; url: string }[];
  /**
   * The X-MASH-Context for one subgraph, signed for the gateway itself: in the gateway,
   * `(name) => sign(name, gatewayCaller(), "")` (server/subgraph-context.ts; a GET has no body,
   * and the context is bound to the empty one). Subgraphs answer counts
   * to the gateway's own context only, never to a user's.
   */
  sign: (subgraph: string) => Promise<string> | string;
  /** Per subgraph: a slow agency fails the whole answer rather than hold the officer waiting. */
  timeoutMs: number;
  /**
   * How requests reach subgraphs: the gateway's transport (transport/subgraph-transport.ts, its
   * CA and client certificate); global fetch when not given.
   */
  fetch?: (
    url: string,
    init: { headers: Record<string, string>; signal: AbortSignal },
  ) => Promise<Response>;
}

/** Why counts could not be had; names every subgraph that failed, never its address. */
export class SubjectCountsError extends Error {
  constructor(readonly failures: { subgraph: string; problem: string }[]) {
    super(
      `Subject counts are not available: ${failures
        .map((f) => `the ${f.subgraph} subgraph ${f.problem}`)
        .join("; ")}.`,
    );
    this.name = "SubjectCountsError";
  }
}

/** A subgraph's count route sits beside its GraphQL endpoint (…/graphql -> …/subject-counts). */
export const subjectCountsUrl = (graphqlUrl: string): string =>
  new URL(`.${SUBJECT_COUNTS_PATH}`, graphqlUrl).toString();

/** A failure of one subgraph, phrased to follow "the <name> subgraph". */
class Problem extends Error {}

async function fetchCounts(
  subgraph: { name: string; url: string },
  sign: SubjectCountsOptions["sign"],
  timeoutMs: number,
  send: NonNullable<SubjectCountsOptions["fetch"]> = fetch,
): Promise<SubjectCounts> {
  const context = await sign(subgraph.name);
  let response: Response;
  try {
    response = await send(subjectCountsUrl(subgraph.url), {
      headers: { [CONTEXT_HEADER]: context },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new Problem(
      (error as Error).name === "TimeoutError"
        ? `did not answer within ${timeoutMs} ms`
        : "is unreachable",
    );
  }
  if (!response.ok) {
    // Its body is the subgraph's own wording, for its log; the status says enough here.
    await response.body?.cancel();
    throw new Problem(
      response.status === 401 || response.status === 403
        ? `refused the gateway's signed context (HTTP ${response.status})`
        : `answered HTTP ${response.status}`,
    );
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new Problem("answered with a body that is not JSON");
  }
  return countsIn(body, subgraph.name);
}

/** The counts of a 200 answer, checked: a malformed one must not pass as "0 subjects affected". */
function countsIn(body: unknown, name: string): SubjectCounts {
  const { agency, counts } = (body ?? {}) as { agency?: unknown; counts?: unknown };
  // The context was signed for `name`, so a different agency answering is a misrouted URL.
  if (agency !== name) throw new Problem(`answered as ${JSON.stringify(agency)}`);
  if (typeof counts !== "object" || counts === null || Array.isArray(counts))
    throw new Problem("answered without counts");
  const checked: SubjectCounts = {};
  for (const [type, n] of Object.entries(counts)) {
    if (!Number.isSafeInteger(n) || (n as number) < 0)
      throw new Problem(`answered a count for ${type} that is not a number of subjects`);
    checked[type] = n as number;
  }
  return checked;
}

/**
 * How many distinct subjects in the current data have records of each GraphQL type, over every
 * agency: for a governance officer weighing a sharing-rule change. Asks every subgraph at once;
 * rejects with a SubjectCountsError naming each subgraph that failed, because counts missing an
 * agency would understate who a change affects.
 *
 * Type names are unique to their agency, except shared ones such as `Subject` (which only the
 * hub counts today). Were two agencies to count one type, the larger count is kept: the subjects
 * of either are at least that many, and the union cannot be known from counts alone.
 */
export function createSubjectCounts(options: SubjectCountsOptions): () => Promise<SubjectCounts> {
  return async () => {
    const results = await Promise.allSettled(
      options.subgraphs.map((s) => fetchCounts(s, options.sign, options.timeoutMs, options.fetch)),
    );
    const failures: { subgraph: string; problem: string }[] = [];
    const merged: SubjectCounts = {};
    results.forEach((result, i) => {
      const subgraph = options.subgraphs[i]?.name ?? "?";
      if (result.status === "rejected") {
        const error = result.reason as Error;
        // A signer failing is the gateway's own fault; its message names no secret.
        failures.push({
          subgraph,
          problem:
            error instanceof Problem
              ? error.message
              : `could not be asked (${error.message ?? String(error)})`,
        });
        return;
      }
      for (const [type, n] of Object.entries(result.value))
        merged[type] = Math.max(merged[type] ?? 0, n);
    });
    if (failures.length > 0) throw new SubjectCountsError(failures);
    return merged;
  };
}
