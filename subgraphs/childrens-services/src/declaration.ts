import {
  child,
  defineSection,
  flag,
  int,
  object,
  type SectionDB,
  type SectionOf,
  text,
} from "@mash/kit";
import { sql } from "kysely";

/**
 * The one place the children's social care store's tables and columns are named. A row in
 * `persons` means the local authority knows the person; the allocated worker and the child
 * protection plan are at most one each, so they live on that row as nullable columns.
 */
export const section = defineSection({
  section: "SocialCareSection",
  field: "socialCare",
  person: {
    columns: {
      openCase: flag("open_case"),
      lookedAfter: flag("looked_after"),
      childInNeed: flag("child_in_need"),
      previousReferrals: int("previous_referrals"),
      allocatedWorker: object(
        "AllocatedWorker",
        { name: text("worker_name"), team: text("worker_team"), phone: text("worker_phone") },
        ["name"],
      ),
      childProtectionPlan: object(
        "ChildProtectionPlan",
        { category: text("cp_category"), startDate: text("cp_start_date") },
        ["category"],
      ),
    },
    // The section maps a worker or a plan to one object with non-null fields, so a half
    // recorded one must never reach the table.
    checks: {
      persons_worker_whole: sql`(worker_name is null and worker_team is null and worker_phone is null)
            or (worker_name is not null and worker_team is not null and worker_phone is not null)`,
      persons_cp_plan_whole: sql`(cp_category is null) = (cp_start_date is null)`,
    },
  },
  children: {
    caseNotes: child({
      table: "case_notes",
      type: "CaseNote",
      columns: { id: text("id"), recordedAt: text("recorded_at"), text: text("text") },
      orderBy: ["recordedAt", "id"],
    }),
  },
});

export type ChildrensServicesDB = SectionDB<typeof section.declaration>;
type SocialCareSection = SectionOf<typeof section.declaration>;
export type AllocatedWorker = NonNullable<SocialCareSection["allocatedWorker"]>;
export type ChildProtectionPlan = NonNullable<SocialCareSection["childProtectionPlan"]>;
export type CaseNote = SocialCareSection["caseNotes"][number];
export const { loadSections, unknownSection } = section;
