import type { Authority } from "../authz/ability.ts";
import { type FilterCollector, filterResult } from "../authz/filter.ts";
import { createJudge } from "../authz/judge.ts";
import type { Observation } from "../authz/observation.ts";

export type ShadowChange = "WOULD_RELEASE" | "WOULD_WITHHOLD";

export interface ShadowDifference {
  /** The request's roles, sorted and comma-joined. */
  role: string;
  /** "Type.field". */
  field: string;
  change: ShadowChange;
  /** Field values (one per object) the candidate would have released or withheld unlike live. */
  count: number;
}

export interface ShadowReport {
  versionId: string;
  requestsObserved: number;
  /** Requests whose shadow evaluation failed (counted, never thrown into the request). */
  errors: number;
  differences: ShadowDifference[];
}

export interface ShadowCandidate {
  versionId: string;
  authority: Authority;
}

/** One answered request as the authorizing gateway shows it to shadow mode. */
export type ObservedRequest = Observation;

export interface Shadow {
  /** Evaluates every candidate on one request's data; never throws, never changes the response. */
  observe(request: ObservedRequest): void;
  report(versionId: string): ShadowReport;
  /** Forgets a version (published, rejected): its report is no longer needed. */
  forget(versionId: string): void;
}

/** Released field values per "Type.field". */
function releasedCounts(request: ObservedRequest, authority: Authority): Map<string, number> {
  const released = new Map<string, number>();
  const collect: FilterCollector = {
    onReleased(type, field) {
      const key = `${type}.${field}`;
      released.set(key, (released.get(key) ?? 0) + 1);
    },
    onWithheld() {},
  };
  filterResult({
    schema: request.schema,
    document: request.document,
    operationName: request.operationName,
    variables: request.variables,
    result: request.fetched,
    judge: createJudge(authority, request.authorization),
    collect,
  });
  return released;
}

interface Tally {
  requests: number;
  errors: number;
  /** role|field|change to count. */
  counts: Map<string, number>;
}

/**
 * Shadow mode: while versions are PROPOSED, each is run beside the live policy on real traffic,
 * enforcing nothing. For every observed request the client's operation is filtered again over
 * the fetched data (filter.ts, exactly as enforcement does) with the candidate's judge, and each
 * field's released count is compared with the live one: more is WOULD_RELEASE, fewer (withheld,
 * or under a parent now withheld) is WOULD_WITHHOLD.
 *
 * Limit: the data fetched is what the live policy planned, and for people outside the purpose
 * what it could show them (authz/narrow-fetch.ts). A field the live policy never lets be fetched
 * counts as released (as null) when the candidate allows it, which is the right signal (what is
 * below it is not counted); a candidate condition on a field the live policy does not read sees
 * no value, so it counts as not matching.
 */
export function createShadow(options: {
  candidates: () => readonly ShadowCandidate[];
  onError?: (error: unknown) => void;
}): Shadow {
  const tallies = new Map<string, Tally>();
  const tallyOf = (versionId: string) => {
    let tally = tallies.get(versionId);
    if (!tally) {
      tally = { requests: 0, errors: 0, counts: new Map() };
      tallies.set(versionId, tally);
    }
    return tally;
  };

  return {
    observe(request) {
      let candidates: readonly ShadowCandidate[];
      try {
        candidates = options.candidates();
      } catch (error) {
        options.onError?.(error);
        return;
      }
      if (candidates.length === 0 || !request.fetched.data) return;
      let live: Map<string, number>;
      try {
        live = releasedCounts(request, request.live);
      } catch (error) {
        for (const c of candidates) tallyOf(c.versionId).errors += 1;
        options.onError?.(error);
        return;
      }
      const role = [...request.authorization.roles].sort().join(",");
      for (const candidate of candidates) {
        const tally = tallyOf(candidate.versionId);
        try {
          const shadow = releasedCounts(request, candidate.authority);
          tally.requests += 1;
          for (const field of new Set([...live.keys(), ...shadow.keys()])) {
            const delta = (shadow.get(field) ?? 0) - (live.get(field) ?? 0);
            if (delta === 0) continue;
            const key = `${role}|${field}|${delta > 0 ? "WOULD_RELEASE" : "WOULD_WITHHOLD"}`;
            tally.counts.set(key, (tally.counts.get(key) ?? 0) + Math.abs(delta));
          }
        } catch (error) {
          tally.errors += 1;
          options.onError?.(error);
        }
      }
    },

    report(versionId) {
      const tally = tallies.get(versionId);
      const differences = [...(tally?.counts ?? [])]
        .map(([key, count]) => {
          const [role, field, change] = key.split("|") as [string, string, ShadowChange];
          return { role, field, change, count };
        })
        .sort((a, b) => b.count - a.count || a.field.localeCompare(b.field));
      return {
        versionId,
        requestsObserved: tally?.requests ?? 0,
        errors: tally?.errors ?? 0,
        differences,
      };
    },

    forget(versionId) {
      tallies.delete(versionId);
    },
  };
}
