import { batchLoader, type Store } from "@mash/kit";
import type { MashDB } from "./store.ts";

/** In the schema's order, which is the order of the process: it breaks ties in time. */
export const PROCESS_STEP_KINDS = [
  "CONTACT_RECEIVED",
  "CONTACT_SCREENED",
  "ENQUIRY_OPENED",
  "RAG_CHANGED",
  "RESEARCH_REQUESTED",
  "RESEARCH_RELEASED",
  "RESEARCH_ANSWERED",
  "SHARING_DECISION_RECORDED",
  "DECISION_RECORDED",
  "REFERRER_TOLD",
  "DISAGREEMENT_RECORDED",
] as const;
export type ProcessStepKind = (typeof PROCESS_STEP_KINDS)[number];

export interface ProcessStepView {
  at: string;
  step: ProcessStepKind;
  agency: string | null;
  by: string | null;
  summary: string;
}

/**
 * Each enquiry's recorded steps, oldest first, for a batch of enquiries in six statements (one
 * per table), whatever the batch size. The steps are read from the columns that say who, when
 * and what kind, never from a reason, finding, concern or how the referrer was told: a
 * timeline's summary names ratings, agencies and outcomes only, so it can be shown where reasons
 * are not.
 */
export function timelineLoader(store: Store<MashDB>) {
  const { db } = store;
  return batchLoader<ProcessStepView[]>(
    async (ids) => {
      const [enquiries, contacts, ratings, research, sharing, disagreements] = await Promise.all([
        db
          .selectFrom("enquiries")
          .where("id", "in", ids)
          .select(["id", "opened_at", "opened_by", "lead", "outcome", "closed_at", "decided_by"])
          .select(["feedback_at", "feedback_by"])
          .execute(),
        db
          .selectFrom("contacts")
          .where("enquiry_id", "in", ids)
          .select(["id", "enquiry_id", "received_at", "recorded_by", "referrer_kind"])
          .select(["screening_outcome", "screened_agency", "screened_by", "screened_at"])
          .execute(),
        db
          .selectFrom("rag_changes")
          .where("enquiry_id", "in", ids)
          .select(["enquiry_id", "seq", "rag", "previous", "changed_by", "changed_at"])
          .execute(),
        db
          .selectFrom("research_requests")
          .where("enquiry_id", "in", ids)
          .select(["enquiry_id", "agency", "asked_at", "asked_by", "released_at", "released_by"])
          .select(["answered_at", "answered_by"])
          .execute(),
        db
          .selectFrom("sharing_decisions")
          .where("enquiry_id", "in", ids)
          .select(["enquiry_id", "agency", "decision", "recorded_by", "recorded_at"])
          .execute(),
        db
          .selectFrom("disagreements")
          .where("enquiry_id", "in", ids)
          .select(["enquiry_id", "agency", "recorded_by", "recorded_at"])
          .execute(),
      ]);

      const steps = new Map<string, ProcessStepView[]>(enquiries.map((e) => [e.id, []]));
      const add = (enquiryId: string | null, step: ProcessStepView) => {
        if (enquiryId) steps.get(enquiryId)?.push(step);
      };
      const lead = new Map(enquiries.map((e) => [e.id, e.lead]));

      for (const c of contacts) {
        const from = c.referrer_kind === "PUBLIC" ? "a member of the public" : "an agency";
        add(c.enquiry_id, {
          at: c.received_at,
          step: "CONTACT_RECEIVED",
          agency: null,
          by: c.recorded_by,
          summary: `${c.id} from ${from}`,
        });
        if (c.screened_at && c.screening_outcome) {
          add(c.enquiry_id, {
            at: c.screened_at,
            step: "CONTACT_SCREENED",
            agency: c.screened_agency,
            by: c.screened_by,
            summary: `${c.id}: ${c.screening_outcome}`,
          });
        }
      }
      const openedWith = new Map(ratings.filter((r) => r.seq === 1).map((r) => [r.enquiry_id, r]));
      for (const e of enquiries) {
        const first = openedWith.get(e.id);
        add(e.id, {
          at: e.opened_at,
          step: "ENQUIRY_OPENED",
          agency: e.lead,
          by: e.opened_by,
          summary: first ? `opened ${first.rag}` : "opened",
        });
        if (e.closed_at && e.outcome) {
          add(e.id, {
            at: e.closed_at,
            step: "DECISION_RECORDED",
            agency: null,
            by: e.decided_by,
            summary: e.outcome,
          });
        }
        if (e.feedback_at) {
          add(e.id, {
            at: e.feedback_at,
            step: "REFERRER_TOLD",
            agency: null,
            by: e.feedback_by,
            summary: "referrer told",
          });
        }
      }
      for (const r of ratings) {
        if (r.seq === 1) continue;
        // Only the lead agency changes a rating (rag.ts), so the change is the lead's.
        add(r.enquiry_id, {
          at: r.changed_at,
          step: "RAG_CHANGED",
          agency: lead.get(r.enquiry_id) ?? null,
          by: r.changed_by,
          summary: `${r.previous ?? "?"} → ${r.rag}`,
        });
      }
      for (const r of research) {
        const step = (at: string, kind: ProcessStepKind, by: string | null, done: string) =>
          add(r.enquiry_id, {
            at,
            step: kind,
            agency: r.agency,
            by,
            summary: `${r.agency} ${done}`,
          });
        step(r.asked_at, "RESEARCH_REQUESTED", r.asked_by, "asked");
        if (r.released_at) step(r.released_at, "RESEARCH_RELEASED", r.released_by, "released");
        if (r.answered_at) step(r.answered_at, "RESEARCH_ANSWERED", r.answered_by, "answered");
      }
      for (const d of sharing) {
        add(d.enquiry_id, {
          at: d.recorded_at,
          step: "SHARING_DECISION_RECORDED",
          agency: d.agency,
          by: d.recorded_by,
          summary: `${d.agency}: ${d.decision}`,
        });
      }
      for (const d of disagreements) {
        add(d.enquiry_id, {
          at: d.recorded_at,
          step: "DISAGREEMENT_RECORDED",
          agency: d.agency,
          by: d.recorded_by,
          summary: `${d.agency} disagrees`,
        });
      }
      for (const list of steps.values()) list.sort(byTime);
      return steps;
    },
    () => [],
  );
}

function byTime(a: ProcessStepView, b: ProcessStepView): number {
  const time = Date.parse(a.at) - Date.parse(b.at);
  if (time !== 0) return time;
  const kind = PROCESS_STEP_KINDS.indexOf(a.step) - PROCESS_STEP_KINDS.indexOf(b.step);
  if (kind !== 0) return kind;
  return (a.agency ?? "").localeCompare(b.agency ?? "");
}
