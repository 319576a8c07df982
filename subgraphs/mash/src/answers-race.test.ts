import { generatePopulation, openStore, type Store, seedStore } from "@mash/kit";
import { storeBackends, tempStores } from "@mash/kit/testing";
import type { GraphQLError } from "graphql";
import type { Transaction } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerResearch } from "./answers.ts";
import { closeEnquiry, enquiryForUpdate } from "./decision.ts";
import { openEnquiry } from "./enquiries.ts";
import { badInput, jones, okafor, patel } from "./hub-testing.ts";
import { mash } from "./index.ts";
import { createLoaders } from "./loaders.ts";
import { loadSettings } from "./settings.ts";
import type { MashDB } from "./store.ts";

const settings = loadSettings({});
const reason = "Relevant to the child's safety";

// Only PostgreSQL runs transactions side by side; SQLite runs one at a time on one connection, so
// there is no race to test there (and no suite is declared for it, rather than one skipped).
for (const { backend, unavailable } of (await storeBackends()).filter(
  (b) => b.backend === "postgres",
)) {
  describe.skipIf(unavailable)(`mash answers racing on ${backend}`, () => {
    const temp = tempStores(backend);
    let store: Store<MashDB>;
    const research = async (id: string, agency: string) =>
      (await createLoaders(store).research.load(id)).find((r) => r.agency === agency);
    const history = (id: string) => createLoaders(store).sharingDecisions.load(id);
    const everything = async () => ({
      research: await store.db
        .selectFrom("research_requests")
        .selectAll()
        .orderBy("enquiry_id")
        .orderBy("agency")
        .execute(),
      decisions: await store.db
        .selectFrom("sharing_decisions")
        .selectAll()
        .orderBy("enquiry_id")
        .orderBy("seq")
        .execute(),
    });
    const open = (ask: string[]) =>
      openEnquiry(store, settings, patel, {
        reason: "Ragging in for a race",
        rag: "AMBER",
        subjectIds: ["S-1001"],
        ask,
      });

    beforeAll(async () => {
      store = await openStore<MashDB>({
        agency: "mash",
        config: temp.configFor("mash"),
        migrations: mash.migrations,
      });
      await seedStore(mash, store, generatePopulation({ subjects: 20 }));
    });
    afterAll(async () => {
      await store?.close();
      await temp.cleanup();
    });

    /**
     * Holds `write` (made as the enquiry's other writers make theirs: the enquiry row locked
     * first) open until an answer has started, then commits it: the answer must wait for it,
     * see it, and be refused, writing nothing.
     */
    async function answerWhileHeld(
      id: string,
      write: (trx: Transaction<MashDB>) => Promise<unknown>,
    ): Promise<GraphQLError> {
      const before = await everything();
      let commit!: () => void;
      const held = new Promise<void>((resolve) => {
        commit = resolve;
      });
      let locked!: () => void;
      const isLocked = new Promise<void>((resolve) => {
        locked = resolve;
      });
      const writing = store.db.transaction().execute(async (trx) => {
        await enquiryForUpdate(trx, store.dialect, id, "id");
        await write(trx);
        locked();
        await held;
      });
      await isLocked;
      let settled = false;
      const answering = answerResearch(store, settings, jones, {
        enquiryId: id,
        finding: "Known to police",
        decision: "SHARE",
        decisionReason: reason,
      }).finally(() => {
        settled = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(settled, "the answer waits for the lock").toBe(false);
      commit();
      await writing;
      const error = await badInput(answering);
      const after = await everything();
      const written = (rows: typeof before.research) =>
        rows.map(({ answered_at, decision_seq }) => ({ answered_at, decision_seq }));
      expect(written(after.research)).toEqual(written(before.research));
      expect(after.decisions).toEqual(before.decisions);
      return error;
    }

    it("serialises a close racing an answer: the answer waits, then is refused", async () => {
      const { id } = await open(["police"]);
      // A close as closeEnquiry makes it.
      const error = await answerWhileHeld(id, (trx) =>
        trx
          .updateTable("enquiries")
          .set({
            status: "CLOSED",
            outcome: "NO_FURTHER_ACTION",
            closed_at: "2026-11-26T12:00:00Z",
          })
          .where("id", "=", id)
          .execute(),
      );
      expect(error.extensions.field).toBe("input.enquiryId");
      expect(error.message).toMatch(/is closed/);
    });

    it("serialises a release racing an answer: the answer waits, then is refused", async () => {
      const { id } = await open(["police"]);
      // A release as releaseResearch makes it.
      const error = await answerWhileHeld(id, (trx) =>
        trx
          .updateTable("research_requests")
          .set({
            released_at: "2026-11-26T12:00:00Z",
            released_by: "sw.patel",
            release_reason: "Not known to the police",
          })
          .where("enquiry_id", "=", id)
          .where("agency", "=", "police")
          .execute(),
      );
      expect(error.extensions.field).toBe("input.enquiryId");
      expect(error.message).toMatch(/was released/);
    });

    it("lets one of a close and an answer racing win cleanly, never an answer after the close", async () => {
      for (let round = 0; round < 8; round++) {
        const { id } = await open(["police"]);
        const [answered, closed] = await Promise.allSettled([
          answerResearch(store, settings, jones, {
            enquiryId: id,
            nothingKnown: true,
            decision: "SHARE",
            decisionReason: reason,
          }),
          closeEnquiry(store, settings, okafor, {
            id,
            outcome: "NO_FURTHER_ACTION",
            reason: "Nothing of concern found",
          }),
        ]);
        // The close always succeeds: an answer before it does not stop the decision.
        expect(closed.status, `round ${round}`).toBe("fulfilled");
        const request = await research(id, "police");
        const decisions = await history(id);
        if (answered.status === "fulfilled") {
          expect(request).toEqual(answered.value);
          expect(decisions).toHaveLength(1);
        } else {
          expect((answered.reason as GraphQLError).message).toMatch(/is closed/);
          expect(request?.answeredAt).toBeNull();
          expect(decisions).toEqual([]);
        }
      }
    });
  });
}
