import type { Store } from "@mash/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CHRONOLOGY,
  type ChronologySystem,
  startChronologySystem,
  type Tables,
} from "./chronology-system.ts";
import type { AsUser } from "./system.ts";

/**
 * Subject.chronology tells nothing withheld: the same bytes whatever the withheld values are
 * (dates, and how many items a withheld date holds back), and an agency not answering is
 * missing, not withheld.
 */
describe("Subject.chronology, differentially", () => {
  let sys: ChronologySystem;
  beforeAll(async () => {
    sys = await startChronologySystem();
  }, 60_000);
  afterAll(() => sys?.stop());
  const chronology = (...args: Parameters<ChronologySystem["chronology"]>) =>
    sys.chronology(...args);
  const raw = (...args: Parameters<ChronologySystem["raw"]>) => sys.raw(...args);

  it("answers byte for byte the same whatever the withheld values are", async () => {
    const store = (name: string) =>
      sys.system.subgraphs.find((s) => s.name === name)?.store as unknown as Store<Tables>;
    const ask = (who: AsUser[]) =>
      Promise.all(
        who.flatMap((w) =>
          ["S-1001", "S-1003"].map((id) => raw(CHRONOLOGY, { id }, w).then((r) => r.text)),
        ),
      );
    // Social workers: police incident dates (withheld by the test's rule, or with the whole
    // section outside an enquiry) change and one more incident appears; adult social care's and
    // probation's dates change (withheld from them in any purpose).
    const social: AsUser[] = [{ as: "sw.patel", enquiry: "ENQ-2001" }, { as: "sw.patel" }];
    const before = await ask(social);
    expect(before.join("")).toContain('"agency":"childrens-services"');
    const police = store("police").db;
    await police
      .updateTable("incidents")
      .set({ occurred_at: "2019-01-02T03:04:05Z" })
      .where("subject_id", "=", "S-1003")
      .execute();
    await police
      .insertInto("incidents")
      .values({
        subject_id: "S-1003",
        id: "PI-TEST",
        occurred_at: "2026-11-30T01:00:00Z",
        category: "DOMESTIC_ABUSE",
        summary: "A third call",
        child_present: 1,
      })
      .execute();
    await store("adult-social-care")
      .db.updateTable("safeguarding_enquiries")
      .set({ opened_at: "2016-02-02T00:00:00Z" })
      .execute();
    await store("probation")
      .db.updateTable("offences")
      .set({ date: "2015-03-03" })
      .where("subject_id", "in", ["S-1001", "S-1003"])
      .execute();
    expect(await ask(social)).toEqual(before);

    // The police without a purpose: health's attendances and children's case notes.
    const officer: AsUser[] = [{ as: "pc.jones" }];
    const seen = await ask(officer);
    await store("health")
      .db.updateTable("unscheduled_care")
      .set({ attended_at: "2018-05-06T07:08:09Z" })
      .where("subject_id", "in", ["S-1001", "S-1003"])
      .execute();
    await store("childrens-services")
      .db.updateTable("case_notes")
      .set({ recorded_at: "2017-01-01T00:00:00Z" })
      .where("subject_id", "in", ["S-1001", "S-1003"])
      .execute();
    expect(await ask(officer)).toEqual(seen);
  });

  // Last: it stops an agency.
  it("says an agency that is not answering is missing, not withheld, and shows the rest", async () => {
    const who = { as: "mgr.okafor", enquiry: "ENQ-2001" };
    const before = await chronology("S-1001", who);
    expect(before.entries.some((e) => e.agency === "health")).toBe(true);
    await sys.system.subgraphs.find((s) => s.name === "health")?.stop();
    const { entries, body } = await chronology("S-1001", who);
    expect(entries).toEqual(before.entries.filter((e) => e.agency !== "health"));
    const missing = (body.errors ?? []).filter((e) => e.extensions?.code === "AGENCY_UNAVAILABLE");
    expect(missing.map((e) => [e.path, e.extensions?.agency])).toEqual([
      [["subject", "chronology"], "health"],
    ]);
  });
});
