import { batchLoader, groupBy, type Store } from "@mash/kit";
import { type DisagreementView, toDisagreement } from "./disagreements.ts";
import { type RagChangeView, toRagChange } from "./rag.ts";
import type { MashDB } from "./store.ts";
import { timelineLoader } from "./timeline.ts";

/** The process's per-request loaders: each is one statement per batch (the timeline, six). */
export function processLoaders(store: Store<MashDB>) {
  const { db } = store;
  return {
    /** Every RAG rating each enquiry has had, oldest first. */
    ragHistory: batchLoader<RagChangeView[]>(
      async (ids) => {
        const rows = await db
          .selectFrom("rag_changes")
          .where("enquiry_id", "in", ids)
          .selectAll()
          .orderBy("enquiry_id")
          .orderBy("seq")
          .execute();
        const grouped = groupBy(rows, (r) => r.enquiry_id);
        return new Map([...grouped].map(([id, list]) => [id, list.map(toRagChange)]));
      },
      () => [],
    ),

    /** Each enquiry's disagreements, oldest first. */
    disagreements: batchLoader<DisagreementView[]>(
      async (ids) => {
        const rows = await db
          .selectFrom("disagreements")
          .where("enquiry_id", "in", ids)
          .selectAll()
          .orderBy("enquiry_id")
          .orderBy("seq")
          .execute();
        const grouped = groupBy(rows, (r) => r.enquiry_id);
        return new Map([...grouped].map(([id, list]) => [id, list.map(toDisagreement)]));
      },
      () => [],
    ),

    timeline: timelineLoader(store),
  };
}
