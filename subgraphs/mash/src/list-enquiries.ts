import { badUserInput, type Store } from "@mash/kit";
import { type EnquiryView, type MashDB, toEnquiry } from "./store.ts";

/**
 * Enquiries, newest first. `takingPart` keeps those the caller's agency takes part in (true) or
 * not (false), by the same rule as Enquiry.takesPart: it leads, or has a research request in it
 * that was not released. A caller with no agency takes part in none.
 */
export async function listEnquiries(
  store: Store<MashDB>,
  args: { status?: string | null; takingPart?: boolean | null; first?: number | null },
  agency?: string,
): Promise<EnquiryView[]> {
  const first = args.first ?? 50;
  if (!Number.isInteger(first) || first < 1 || first > 500) {
    throw badUserInput(`first must be between 1 and 500; got ${first}.`, "first");
  }
  let query = store.db
    .selectFrom("enquiries as e")
    .selectAll("e")
    .orderBy("e.opened_at", "desc")
    .orderBy("e.id")
    .limit(first);
  if (args.status) query = query.where("e.status", "=", args.status);
  if (typeof args.takingPart === "boolean") {
    const mine = agency?.trim() ?? "";
    query = query.where((eb) => {
      // `lead is not null` keeps the negation two-valued: NOT (NULL = x) would drop the row.
      const takesPart = eb.or([
        eb.and([eb("e.lead", "is not", null), eb("e.lead", "=", mine)]),
        eb.exists(
          eb
            .selectFrom("research_requests as r")
            .whereRef("r.enquiry_id", "=", "e.id")
            .where("r.agency", "=", mine)
            .where("r.released_at", "is", null)
            .select("r.agency"),
        ),
      ]);
      return args.takingPart ? takesPart : eb.not(takesPart);
    });
  }
  return (await query.execute()).map(toEnquiry);
}
