/**
 * The request's shared types: who asks, for what purpose, and what the stages learned. A leaf
 * module: it imports nothing of the gateway, so authorization, the access log and the server can
 * all depend on it without depending on each other (a boundary test keeps it so).
 */
import type { SearchAccess } from "@mash/kit";

/** Who is asking, from a verified token. */
export interface Principal {
  id: string;
  name: string;
  agency: string | undefined;
  roles: string[];
}

/** The purpose a request states, as the hub holds it. */
export interface StatedEnquiry {
  id: string;
  open: boolean;
  subjects: ReadonlySet<string>;
  /** The agencies taking part: the lead, and each agency asked to research and not released. */
  participants: ReadonlySet<string>;
}

export interface RequestAuthorization {
  roles: readonly string[];
  /** The requester's agency, from the token: purpose is for the agencies taking part. */
  agency: string | undefined;
  enquiry: StatedEnquiry | undefined;
  /** A role allowed to break the glass gave a valid reason. */
  breakGlass: boolean;
}

/** Told, as the filter runs, what each field's answer was: how the audit log learns it. */
export interface FilterCollector {
  /** The field's value was returned; scope is the subject it hangs under, if any. */
  onReleased(type: string, field: string, scope: string | undefined, value: unknown): void;
  /** The judge withheld the field with this error. */
  onWithheld(type: string, field: string, error: unknown): void;
  /** A person whose scope flag (e.g. sealed) is true was reached by the query. */
  onFlagged?(scope: string): void;
}

/** What the plan guard asks of the request's judge. */
export interface PlanJudge {
  mayAllow(type: string, field: string): boolean;
  helperFields(type: string): readonly string[];
}

/**
 * An entity fetch split by purpose (authz/narrow-fetch.ts): the people the request's purpose
 * covers get the fetch as planned; the rest get it without what no rule could show them.
 */
export interface NarrowedFetch {
  /** Positions of the representations that get the fetch as planned. */
  inside: number[];
  /** Positions of the rest: people outside the purpose. */
  outside: number[];
  /** What those outside are asked; null when nothing the fetch asks could be shown them. */
  asked: {
    /**
     * The planned fetch with a second entity field, aliased and given its own representations
     * variable (authz/narrow-fetch.ts's OUTSIDE), asking those outside the narrowed selection:
     * one request for everyone.
     */
    both: string;
    /** The narrowed fetch alone, for when no one is inside. */
    alone: string;
    /** Variables the narrowed fetch alone no longer uses (not sent with it). */
    unused: readonly string[];
  } | null;
}

/** Splits an entity fetch by purpose; undefined when it cannot be narrowed or need not be. */
export interface FetchNarrowing {
  /** The request's plan and what it hands from fetch to fetch ("Type.field"): never left out. */
  planned(plan: object, inputs: ReadonlySet<string>): void;
  split(query: string, representations: readonly unknown[]): NarrowedFetch | undefined;
}

/**
 * What the access log is told about an answered request: the fields the filter released and
 * withheld and the people reached, gathered by the filter as it judged, never a second walk.
 */
export interface AnsweredRequest {
  operationName: string | null;
  queryText: string;
  /** The filter's collector (authz/release-collector.ts); opaque here. */
  collected: unknown;
  /** Whether the answer carries errors and data, for the record's outcome. */
  hasErrors: boolean;
  hasData: boolean;
  /** Withheld fields by owning agency, each occurrence: for the metrics. */
  withheldByAgency: ReadonlyMap<string, number>;
}

/**
 * Filled in by the stages as a request goes: one object shared by every copy of the context
 * Apollo makes (it copies the context shallowly), so what the executor learns reaches the
 * access log's stage without flags.
 */
export interface RequestOutcome {
  operationType?: string;
  operationName?: string | null;
  queryText?: string;
  answered?: AnsweredRequest;
}

/**
 * `A` is the policy the request is judged with (authz's Authority), snapshot once by the
 * authorization stage so that every later step of the request (search access, rewrite, filter)
 * uses the same one even when a publication lands meanwhile; opaque here.
 */
export interface GatewayContext<A = unknown> {
  /** Returned to the client as X-Request-Id and signed into every subgraph fetch as `rid`. */
  requestId: string;
  principal: Principal;
  enquiryId: string | undefined;
  breakGlassReason: string | undefined;
  authorization?: RequestAuthorization;
  authority?: A;
  /** Whom each search argument may match, for the subgraph that owns a search; by the policy in force. */
  searchAccess?: (subgraph: string) => SearchAccess | undefined;
  /** Set by the gateway for the plan guard; never by a client. */
  judge?: PlanJudge;
  /** Set by the gateway for its fetches to people outside the purpose; never by a client. */
  narrowing?: FetchNarrowing;
  outcome: RequestOutcome;
}
