import { describe, expect, it } from "vitest";
import { agenciesIn, chronologyOf, filterChronology, type Person } from "./chronology.ts";

type Entries = NonNullable<Person["chronology"]>;

// As the graph answers Subject.chronology: newest first, already judged.
const entries: Entries = [
  {
    at: "2026-11-20T09:15:00Z",
    agency: "mash",
    item: {
      __typename: "ProcessStep",
      step: "ENQUIRY_OPENED",
      stepAgency: "childrens-services",
      stepSummary: "RED",
    },
  },
  {
    at: "2026-11-19T10:00:00Z",
    agency: "adult-social-care",
    item: { __typename: "SafeguardingEnquiry", id: "SE-1", status: "OPEN", concern: "Neglect" },
  },
  {
    at: "2026-11-19T10:00:00Z",
    agency: "mash",
    item: { __typename: "Contact", id: "C-1", concern: "Disclosure at school" },
  },
  {
    at: "2026-10-03T22:40:00Z",
    agency: "police",
    item: {
      __typename: "PoliceIncident",
      id: "PI-1",
      category: "DOMESTIC_ABUSE",
      summary: "Call-out",
    },
  },
  {
    at: "2025-01-10",
    agency: "probation",
    item: { __typename: "Offence", id: "OF-1", offenceCategory: null },
  },
];

const person = { id: "S-1", chronology: entries } as Person;

describe("the chronology", () => {
  it("keeps the graph's order and says what each item is in words", () => {
    const items = chronologyOf(person);
    expect(items.map((i) => i.key)).toEqual([
      "mash:#0",
      "adult-social-care:SE-1",
      "mash:C-1",
      "police:PI-1",
      "probation:OF-1",
    ]);
    expect(items[0]).toMatchObject({
      what: "MASH step: enquiry opened (childrens-services)",
      detail: "RED",
    });
    expect(items[3]).toMatchObject({
      agency: "police",
      at: "2026-10-03T22:40:00Z",
      what: "Police incident: domestic abuse",
      detail: "Call-out",
    });
    // A withheld category is not guessed: the kind of record alone.
    expect(items[4]).toMatchObject({ what: "Offence", detail: null });
  });

  it("filters by agency, and shows all when none is chosen", () => {
    const items = chronologyOf(person);
    expect(agenciesIn(items)).toEqual(["adult-social-care", "mash", "police", "probation"]);
    expect(filterChronology(items, new Set(["police", "mash"])).map((i) => i.key)).toEqual([
      "mash:#0",
      "mash:C-1",
      "police:PI-1",
    ]);
    expect(filterChronology(items, new Set())).toHaveLength(items.length);
  });

  it("is empty when the graph gave no chronology (withheld or not answered)", () => {
    expect(chronologyOf({ ...person, chronology: null })).toEqual([]);
  });
});
