import {
  type ArgumentReach,
  generatePopulation,
  openStore,
  type SearchAccess,
  type Store,
  seedStore,
} from "@mash/kit";
import { storeBackends, tempStores } from "@mash/kit/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { badInput } from "../hub-testing.ts";
import { mash } from "../index.ts";
import type { MashDB } from "../store.ts";
import { accessOf, reachOf, SEARCH_FIELD } from "./access.ts";
import { subjectKeys } from "./keys.ts";
import { candidates, searchSubjects } from "./search.ts";

// Search is a read (issue 12): a person is matched, ranked, scored and explained only on what the
// caller may read of them. The tables below are what the gateway computes from policies/ for
// these roles (test/src/search-inference.test.ts checks the gateway's own through the graph).

const yes = { flagged: true, unflagged: true };
const no = { flagged: false, unflagged: false };
const always: ArgumentReach = { outside: yes, linked: yes };
/** Address and NHS number: in an enquiry that links the person, unless sealed. */
const inEnquiry: ArgumentReach = { outside: no, linked: { flagged: false, unflagged: true } };
/** A manager who broke the glass: in an enquiry, sealed or not. */
const brokenGlass: ArgumentReach = { outside: no, linked: yes };

const access = (reach: ArgumentReach, linked: string[] = []): SearchAccess => ({
  fields: {
    [SEARCH_FIELD]: { name: always, dateOfBirth: always, nhsNumber: reach, postcode: reach },
  },
  linked,
});
const socialWorker = access(inEnquiry);
/** ENQ-2002 links the sealed child; ENQ-2001 the household at PR1 4XY, but not Ryan Carter. */
const inEnq2002 = access(inEnquiry, ["S-1005"]);
const inEnq2001 = access(inEnquiry, ["S-1001", "S-1002"]);
const breakingGlass = access(brokenGlass, ["S-1005"]);

const NOAH = { id: "S-1005", postcode: "PR3 2CD", nhsNumber: "9990001057" };
/** Elsewhere: another outward code, another valid NHS number. */
const ELSEWHERE = { postcode: "PR9 7QT", nhsNumber: "9990009007" };

for (const { backend, unavailable } of await storeBackends()) {
  describe.skipIf(unavailable)(`search as a read, on ${backend}`, () => {
    const temp = tempStores(backend);
    let store: Store<MashDB>;

    /** Gives the sealed child another postcode or NHS number, with the search keys to match. */
    async function move(to: { postcode?: string; nhsNumber?: string }) {
      const row = await store.db
        .selectFrom("subjects")
        .where("id", "=", NOAH.id)
        .selectAll()
        .executeTakeFirstOrThrow();
      const next = {
        postcode: to.postcode ?? row.postcode,
        nhs_number: to.nhsNumber ?? row.nhs_number,
      };
      await store.db.transaction().execute(async (tx) => {
        await tx.updateTable("subjects").set(next).where("id", "=", NOAH.id).execute();
        await tx.deleteFrom("search_keys").where("subject_id", "=", NOAH.id).execute();
        const keys = subjectKeys({
          given: row.given_name,
          family: row.family_name,
          dateOfBirth: row.date_of_birth,
          postcode: next.postcode,
        });
        await tx
          .insertInto("search_keys")
          .values(keys.map((k) => ({ ...k, subject_id: NOAH.id })))
          .execute();
      });
    }
    const ids = (hits: { subject: { id: string } }[]) => hits.map((h) => h.subject.id);
    /**
     * What search itself decides: who, in what order, with what score and why. The record each hit
     * carries is the gateway's to filter field by field, as for any other read of a person.
     */
    const decided = (hits: Awaited<ReturnType<typeof searchSubjects>>) =>
      hits.map((h) => ({ id: h.subject.id, score: h.score, matches: h.matches }));

    beforeAll(async () => {
      store = await openStore<MashDB>({
        agency: "mash",
        config: temp.configFor("mash"),
        migrations: mash.migrations,
      });
      await seedStore(mash, store, generatePopulation({ subjects: 2000 }));
    });
    afterEach(() => move(NOAH));
    afterAll(async () => {
      await store?.close();
      await temp.cleanup();
    });

    it("still ranks the golden Amelia Doe first for a social worker with no enquiry", async () => {
      const hits = await searchSubjects(
        store,
        { name: "Amelia Doe", dateOfBirth: "2017-03-14" },
        socialWorker,
      );
      expect(ids(hits)[0]).toBe("S-1001");
      expect(hits[0]?.score).toBe(1);
      for (const name of ["Doe Amelia", "Amellia Doe", "Amelia Dow", "Ame Doe"]) {
        const misspelt = await searchSubjects(
          store,
          { name, dateOfBirth: "2017-03-14" },
          socialWorker,
        );
        expect(ids(misspelt)[0], name).toBe("S-1001");
      }
    });

    it.each([
      ["with no enquiry", socialWorker],
      ["in the enquiry that links the child", inEnq2002],
    ])(
      "never finds, ranks or explains a sealed child on postcode or NHS number (%s)",
      async (_, as) => {
        const byName = await searchSubjects(store, { name: "Noah Price" }, as);
        expect(byName.find((h) => h.subject.id === NOAH.id)?.matches).toEqual([
          { field: "NAME", quality: "EXACT" },
        ]);
        // The child's own postcode (whole or its outward code) or NHS number, and a wrong one:
        // the child is ranked, scored and explained the same, on the name alone.
        for (const [real, wrong] of [
          [{ postcode: NOAH.postcode }, { postcode: ELSEWHERE.postcode }],
          [{ postcode: "PR3" }, { postcode: "PR9" }],
          [{ postcode: "PR3 9ZZ" }, { postcode: "PR9 9ZZ" }],
          [{ nhsNumber: NOAH.nhsNumber }, { nhsNumber: ELSEWHERE.nhsNumber }],
        ]) {
          const hit = async (extra: object | undefined) => {
            const hits = await searchSubjects(store, { name: "Noah Price", ...extra }, as);
            const at = hits.findIndex((h) => h.subject.id === NOAH.id);
            return { at, score: hits[at]?.score, matches: hits[at]?.matches };
          };
          const found = await hit(real);
          expect(found.matches, JSON.stringify(real)).toEqual([
            { field: "NAME", quality: "EXACT" },
          ]);
          expect(await hit(wrong)).toEqual(found);
        }
      },
    );

    it.each([
      ["with no enquiry", socialWorker],
      ["in the enquiry that links the child", inEnq2002],
      ["in another enquiry", inEnq2001],
    ])(
      "answers the same whatever the sealed child's postcode and NHS number (%s)",
      async (_, as) => {
        const queries = [
          { name: "Noah", postcode: NOAH.postcode },
          { name: "Price", postcode: "PR3" },
          { dateOfBirth: "2015-06-30", postcode: NOAH.postcode },
          { name: "Noah Price", nhsNumber: NOAH.nhsNumber },
          { dateOfBirth: "2015-06-30", nhsNumber: NOAH.nhsNumber, first: 100 },
          { name: "Ryan", postcode: "PR1 4XY", first: 100 },
        ];
        const answers = async () =>
          Promise.all(
            queries.map((q) => searchSubjects(store, q, as).then(decided, (e: Error) => e.message)),
          );
        const here = await answers();
        await move(ELSEWHERE);
        expect(await answers()).toEqual(here);
      },
    );

    it("looks no one up by a value it may not read: the candidates are the same wherever the child lives", async () => {
      const queries = [
        { name: "Ryan", postcode: NOAH.postcode },
        { dateOfBirth: "2017-03-14", postcode: NOAH.postcode },
        { name: "Amelia", nhsNumber: NOAH.nhsNumber },
      ];
      for (const as of [socialWorker, inEnq2001]) {
        const looked = () =>
          Promise.all(
            queries.map(async (q) =>
              (await candidates(store, q, reachOf(as, q))).map((r) => r.id).sort(),
            ),
          );
        const here = await looked();
        expect(here.flat()).not.toContain(NOAH.id);
        await move(ELSEWHERE);
        expect(await looked()).toEqual(here);
        await move(NOAH);
      }
    });

    it("refuses a postcode or NHS number search with no enquiry, naming the arguments", async () => {
      for (const args of [
        { postcode: NOAH.postcode },
        { postcode: "PR3" },
        { nhsNumber: NOAH.nhsNumber },
        { nhsNumber: NOAH.nhsNumber, postcode: NOAH.postcode },
      ]) {
        const error = await badInput(searchSubjects(store, args, socialWorker));
        expect(error.message).toMatch(
          /search only people in an enquiry your agency takes part in: give a name or a date of birth too/,
        );
        expect(error.extensions.field).toBe(Object.keys(args)[0]);
      }
    });

    it("refuses every search of a caller the gateway gave no table (fails closed)", async () => {
      const caller = { sub: "sw.patel", roles: ["social_worker"], rid: "r1" };
      const error = await badInput(searchSubjects(store, { name: "Amelia Doe" }, accessOf(caller)));
      expect(error.message).toMatch(/none of name/);
    });

    it("in an enquiry, matches a postcode only on the linked people whose address it may read", async () => {
      const household = await searchSubjects(store, { postcode: "PR1 4XY" }, inEnq2001);
      expect(ids(household)).toEqual(["S-1001", "S-1002"]);
      expect(household[0]?.matches).toEqual([{ field: "POSTCODE", quality: "EXACT" }]);
      // The sealed child is linked, but their address is not the social worker's to read.
      expect(await searchSubjects(store, { postcode: NOAH.postcode }, inEnq2002)).toEqual([]);
      expect(await searchSubjects(store, { nhsNumber: NOAH.nhsNumber }, inEnq2002)).toEqual([]);
    });

    it("finds and confirms a sealed child for a manager who broke the glass in their enquiry", async () => {
      const byPostcode = await searchSubjects(store, { postcode: NOAH.postcode }, breakingGlass);
      expect(ids(byPostcode)).toEqual([NOAH.id]);
      expect(byPostcode[0]?.matches).toEqual([{ field: "POSTCODE", quality: "EXACT" }]);
      const byNumber = await searchSubjects(store, { nhsNumber: NOAH.nhsNumber }, breakingGlass);
      expect(byNumber[0]).toMatchObject({ score: 1, subject: { id: NOAH.id } });
      const close = await searchSubjects(
        store,
        { name: "Noah Price", postcode: "PR3" },
        breakingGlass,
      );
      expect(close.find((h) => h.subject.id === NOAH.id)?.matches).toContainEqual({
        field: "POSTCODE",
        quality: "CLOSE",
      });
    });

    it("splits the people outside an enquiry by their flag when the agreement does", async () => {
      // A policy that gave the address outside an enquiry to unsealed records only.
      const unsealedOnly = access({ outside: { flagged: false, unflagged: true }, linked: no });
      const hits = await searchSubjects(store, { postcode: "PR1 4XY", first: 100 }, unsealedOnly);
      expect(ids(hits).slice(0, 3).sort()).toEqual(["S-1001", "S-1002", "S-1003"]);
      const sealed = await searchSubjects(
        store,
        { postcode: NOAH.postcode, first: 100 },
        unsealedOnly,
      );
      expect(ids(sealed)).not.toContain(NOAH.id);
      const query = { name: "Noah", postcode: "PR3", first: 100 };
      const before = decided(await searchSubjects(store, query, unsealedOnly));
      await move(ELSEWHERE);
      expect(decided(await searchSubjects(store, query, unsealedOnly))).toEqual(before);
    });
  });
}
