/** The NOTIFY channel; the payload is the PostgreSQL schema, so stores on other schemas ignore it. */
export const POLICY_CHANNEL = "mash_policy_published";
/** The NOTIFY channel for purpose changes, likewise. */
export const PURPOSE_CHANNEL = "mash_purpose_changed";
