import type { WorkspaceEnquiryQuery } from "./generated/operations.ts";

/** One enquiry as the workspace reads it (WorkspaceEnquiry). */
export type Enquiry = NonNullable<WorkspaceEnquiryQuery["enquiry"]>;
