import type { Store } from "@mash/kit";
import type { MashDB } from "@mash/mash/store";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { subjectKeys } from "../../subgraphs/mash/src/search/keys.ts";
import { type AsUser, startSystem, type TestSystem } from "./system.ts";

// Search is a read (issue 12, item 2): through the real gateway, a sealed child (S-1005 in the
// golden fixtures) is never found, ranked, scored or explained on a postcode, a part of one or an
// NHS number, by anyone who may not read those for the child in that request; a search on a
// postcode or an NHS number alone, outside an enquiry, is refused; and nothing in any response
// changes when the child's postcode or NHS number does.

const NOAH = { id: "S-1005", postcode: "PR3 2CD", nhsNumber: "9990001057" };
const ELSEWHERE = { postcode: "PR9 7QT", nhsNumber: "9990009007" };

const SEARCH = `query($name: String, $dateOfBirth: Date, $nhsNumber: String, $postcode: String, $first: Int) {
  searchSubjects(name: $name, dateOfBirth: $dateOfBirth, nhsNumber: $nhsNumber, postcode: $postcode, first: $first) {
    score
    matches { field quality }
    subject { id sealed }
  }
}`;
/** Everything a hit carries: the record is filtered field by field, as any read of a person. */
const SEARCH_ALL = `query($name: String, $dateOfBirth: Date, $nhsNumber: String, $postcode: String) {
  searchSubjects(name: $name, dateOfBirth: $dateOfBirth, nhsNumber: $nhsNumber, postcode: $postcode, first: 100) {
    score
    matches { field quality }
    subject { id name { given family } dateOfBirth sealed nhsNumber address { line1 postcode } }
  }
}`;

type Hit = {
  score: number;
  matches: { field: string; quality: string }[];
  subject: { id: string };
};

const socialWorker: AsUser = { as: "sw.patel" };
const inTheChildsEnquiry: AsUser = { as: "sw.patel", enquiry: "ENQ-2002" };
const breakingGlass: AsUser = {
  as: "mgr.okafor",
  enquiry: "ENQ-2002",
  breakGlass: "Birth family located the child; checking the address held is the right one",
};

describe("a search cannot find or confirm what the agreement withholds", () => {
  let system: TestSystem;
  let hub: Store<MashDB>;
  beforeAll(async () => {
    system = await startSystem({ subjects: 300 });
    hub = system.subgraphs.find((s) => s.name === "mash")?.store as Store<MashDB>;
  });
  afterEach(() => move(NOAH));
  afterAll(() => system?.stop());

  /** The hub's store as if the sealed child lived elsewhere, with the search keys to match. */
  async function move(to: { postcode: string; nhsNumber: string }) {
    const row = await hub.db
      .selectFrom("subjects")
      .where("id", "=", NOAH.id)
      .selectAll()
      .executeTakeFirstOrThrow();
    await hub.db.transaction().execute(async (tx) => {
      await tx
        .updateTable("subjects")
        .set({ postcode: to.postcode, nhs_number: to.nhsNumber })
        .where("id", "=", NOAH.id)
        .execute();
      await tx.deleteFrom("search_keys").where("subject_id", "=", NOAH.id).execute();
      const keys = subjectKeys({
        given: row.given_name,
        family: row.family_name,
        dateOfBirth: row.date_of_birth,
        postcode: to.postcode,
      });
      await tx
        .insertInto("search_keys")
        .values(keys.map((k) => ({ ...k, subject_id: NOAH.id })))
        .execute();
    });
  }
  const search = (variables: Record<string, unknown>, who: AsUser, query = SEARCH) =>
    system.query<{ searchSubjects: Hit[] }>(query, variables, who);
  const noahIn = (hits: Hit[] | undefined) => hits?.find((h) => h.subject.id === NOAH.id);

  it.each([
    ["a social worker with no enquiry", socialWorker],
    ["a social worker in the enquiry that links the child", inTheChildsEnquiry],
    ["a police officer asked into that enquiry", { as: "pc.jones", enquiry: "ENQ-2002" }],
  ])("%s finds the sealed child by name only", async (_, who) => {
    const byName = await search({ name: "Noah Price" }, who);
    expect(noahIn(byName.body.data?.searchSubjects)?.matches).toEqual([
      { field: "NAME", quality: "EXACT" },
    ]);
    // The child's own postcode (or its outward code) or NHS number, and a wrong one: ranked,
    // scored and explained the same, on the name alone.
    for (const [real, wrong] of [
      [{ postcode: NOAH.postcode }, { postcode: ELSEWHERE.postcode }],
      [{ postcode: "PR3" }, { postcode: "PR9" }],
      [{ nhsNumber: NOAH.nhsNumber }, { nhsNumber: ELSEWHERE.nhsNumber }],
    ]) {
      const hit = async (extra: object | undefined) => {
        const { body } = await search({ name: "Noah Price", ...extra }, who);
        expect(body.errors, JSON.stringify(extra)).toBeUndefined();
        const hits = body.data?.searchSubjects ?? [];
        const at = hits.findIndex((h) => h.subject.id === NOAH.id);
        return { at, hit: hits[at] };
      };
      const found = await hit(real);
      expect(found.hit?.matches, JSON.stringify(real)).toEqual([
        { field: "NAME", quality: "EXACT" },
      ]);
      expect(await hit(wrong)).toEqual(found);
    }
  });

  it.each([
    ["a postcode", { postcode: NOAH.postcode }],
    ["a part of a postcode", { postcode: "PR3" }],
    ["an NHS number", { nhsNumber: NOAH.nhsNumber }],
  ])("refuses a search on %s alone with no enquiry: nobody is listed by it", async (_, args) => {
    const { body } = await search(args, socialWorker);
    expect(body.data).toBeNull();
    expect(body.errors?.map((e) => e.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
    expect(body.errors?.[0]?.message).toMatch(
      /search only people in an enquiry your agency takes part in: give a name or a date of birth too/,
    );
  });

  it("in an enquiry, matches a postcode on the people it links whose address may be read", async () => {
    const household = await search(
      { postcode: "PR1 4XY" },
      { as: "sw.patel", enquiry: "ENQ-2001" },
    );
    expect(household.body.data?.searchSubjects.map((h) => h.subject.id).sort()).toEqual([
      "S-1001",
      "S-1002",
      "S-1003",
    ]);
    // The sealed child is linked to ENQ-2002, but their address is withheld: no match.
    for (const args of [{ postcode: NOAH.postcode }, { nhsNumber: NOAH.nhsNumber }]) {
      const { body } = await search(args, inTheChildsEnquiry);
      expect(body).toEqual({ data: { searchSubjects: [] } });
    }
    // Nor in an enquiry that does not link the child.
    const other = await search(
      { postcode: NOAH.postcode },
      { as: "sw.patel", enquiry: "ENQ-2001" },
    );
    expect(other.body).toEqual({ data: { searchSubjects: [] } });
  });

  it("finds and confirms the sealed child for a manager who breaks the glass in their enquiry", async () => {
    const byPostcode = await search({ postcode: NOAH.postcode }, breakingGlass);
    expect(byPostcode.body.data?.searchSubjects).toEqual([
      {
        score: 1,
        matches: [{ field: "POSTCODE", quality: "EXACT" }],
        subject: { id: NOAH.id, sealed: true },
      },
    ]);
    const byNumber = await search({ nhsNumber: NOAH.nhsNumber }, breakingGlass);
    expect(byNumber.body.data?.searchSubjects[0]).toMatchObject({
      score: 1,
      subject: { id: NOAH.id },
    });
    const close = await search({ name: "Noah Price", postcode: "PR3" }, breakingGlass);
    expect(noahIn(close.body.data?.searchSubjects)?.matches).toContainEqual({
      field: "POSTCODE",
      quality: "CLOSE",
    });
    // The same manager without the glass broken: the child is not found by postcode.
    const unbroken = await search(
      { postcode: NOAH.postcode },
      { as: "mgr.okafor", enquiry: "ENQ-2002" },
    );
    expect(unbroken.body).toEqual({ data: { searchSubjects: [] } });
  });

  it.each([
    ["a social worker with no enquiry", socialWorker],
    ["a social worker in the enquiry that links the child", inTheChildsEnquiry],
    ["a social worker in another enquiry", { as: "sw.patel", enquiry: "ENQ-2001" }],
    ["a police officer asked into the child's enquiry", { as: "pc.jones", enquiry: "ENQ-2002" }],
    ["a manager not breaking the glass", { as: "mgr.okafor", enquiry: "ENQ-2002" }],
  ])("answers %s the same whatever the sealed child's postcode and NHS number", async (_, who) => {
    const queries = [
      { name: "Noah", postcode: NOAH.postcode },
      { name: "Price", postcode: "PR3" },
      { dateOfBirth: "2015-06-30", postcode: NOAH.postcode },
      { name: "Noah Price", nhsNumber: NOAH.nhsNumber },
      { dateOfBirth: "2015-06-30", nhsNumber: NOAH.nhsNumber },
      { postcode: NOAH.postcode },
      { postcode: "PR3" },
      { nhsNumber: NOAH.nhsNumber },
    ];
    const answers = () =>
      Promise.all(queries.map((q) => search(q, who, SEARCH_ALL).then((r) => [r.status, r.body])));
    const here = await answers();
    expect(JSON.stringify(here)).toContain(NOAH.id);
    await move(ELSEWHERE);
    expect(await answers()).toEqual(here);
  });
});
