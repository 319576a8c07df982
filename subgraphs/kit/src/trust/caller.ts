/** Who a subgraph request is for, as the gateway vouches for it. */
export interface CallerContext {
  /** The user id, or GATEWAY_SUBJECT for the gateway's own requests. */
  sub: string;
  roles: string[];
  agency?: string;
  /** The enquiry the user stated (X-MASH-Enquiry), when one was. */
  enquiry?: string;
  /** The client request this fetch serves, as the gateway returned it in X-Request-Id. */
  rid: string;
  /**
   * Who each search argument may match, by the sharing agreement: sent only to the subgraph that
   * owns the search. A search has none when the gateway gave it none, and then matches no one.
   */
  search?: SearchAccess;
}

/** Whether an argument may match a person, by the person's flag (roles.yaml scope.flag). */
export interface FlagReach {
  flagged: boolean;
  unflagged: boolean;
}

/**
 * Whether the requester may read, for a person, the field a search argument reads: for people
 * outside the stated enquiry, and for people it links (only when the caller's agency takes part).
 */
export interface ArgumentReach {
  outside: FlagReach;
  linked: FlagReach;
}

export interface SearchAccess {
  /** "Query.searchSubjects" to each argument that reads a person's field, and whom it may match. */
  fields: Record<string, Record<string, ArgumentReach>>;
  /** The people linked to the stated enquiry, when the caller's agency takes part in it. */
  linked: string[];
}
