/** The three urgencies of an enquiry, most urgent first: a leaf, so settings and calendars share it. */
export type Rag = "RED" | "AMBER" | "GREEN";
export const RAGS: readonly Rag[] = ["RED", "AMBER", "GREEN"];
