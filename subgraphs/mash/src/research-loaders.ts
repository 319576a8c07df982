import { batchLoader, type Store } from "@mash/kit";
import { type MashDB, type SharingDecisionView, toSharingDecision } from "./store.ts";

/** The key of one sharing decision: its enquiry and its place in that enquiry's history. */
export const decisionKey = (enquiryId: string, seq: number) => `${enquiryId}#${seq}`;

/** Per-request loaders for research answers. */
export function researchLoaders(store: Store<MashDB>) {
  const { db } = store;
  return {
    /**
     * Sharing decisions by `decisionKey`: the one recorded with each answer. N answers cost one
     * statement, matched on the history's primary key.
     */
    answerDecision: batchLoader<SharingDecisionView | null>(
      async (keys) => {
        const pairs = keys.map((key) => {
          const at = key.lastIndexOf("#");
          return [key.slice(0, at), Number(key.slice(at + 1))] as const;
        });
        const rows = await db
          .selectFrom("sharing_decisions")
          .where((eb) =>
            eb(
              eb.refTuple("enquiry_id", "seq"),
              "in",
              pairs.map(([id, seq]) => eb.tuple(id, seq)),
            ),
          )
          .selectAll()
          .execute();
        return new Map(rows.map((r) => [decisionKey(r.enquiry_id, r.seq), toSharingDecision(r)]));
      },
      () => null,
    ),
  };
}

export type ResearchLoaders = ReturnType<typeof researchLoaders>;
