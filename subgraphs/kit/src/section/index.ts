export { flag, int, real, text } from "./columns.ts";
export type { SectionDB, SectionDeclaration, SectionOf } from "./declaration.ts";
export { defineSection, type Section } from "./define-section.ts";
export { initialDdl } from "./initial-ddl.ts";
export { child, object } from "./parts.ts";
export { sectionAgency } from "./section-agency.ts";
