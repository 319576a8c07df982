import { describe, expect, it } from "vitest";
import { agenciesIn, filterChronology, mergeChronology, type Person } from "./chronology.ts";

const person: Person = {
  id: "S-1",
  name: { given: "Amelia", family: "Doe" },
  dateOfBirth: "2017-03-14",
  nhsNumber: null,
  sealed: false,
  recentContacts: 1,
  address: null,
  household: [],
  contacts: [{ id: "C-1", receivedAt: "2026-11-19T10:00:00Z", concern: "Disclosure at school" }],
  enquiries: [
    {
      id: "ENQ-1",
      status: "OPEN",
      rag: "RED",
      reason: "r",
      timeline: [
        {
          at: "2026-11-20T09:15:00Z",
          step: "ENQUIRY_OPENED",
          agency: "childrens-services",
          summary: "RED",
        },
      ],
    },
  ],
  police: {
    known: true,
    warningMarkers: [],
    incidents: [
      {
        id: "PI-1",
        occurredAt: "2026-10-03T22:40:00Z",
        category: "DOMESTIC_ABUSE",
        summary: "Call-out",
        childPresent: true,
      },
      // A withheld date cannot be placed: left out, never guessed.
      {
        id: "PI-2",
        occurredAt: null,
        category: "DOMESTIC_ABUSE",
        summary: "x",
        childPresent: null,
      },
    ],
    intelligence: null,
  },
  socialCare: {
    known: true,
    openCase: false,
    lookedAfter: false,
    allocatedWorker: null,
    childProtectionPlan: null,
    caseNotes: [{ id: "CN-1", recordedAt: "2023-06-12T10:00:00Z", text: "Early help" }],
  },
  health: {
    known: true,
    gpPractice: null,
    mentalHealth: null,
    unscheduledCare: [
      {
        id: "UC-1",
        attendedAt: "2026-11-01T03:00:00Z",
        setting: "EMERGENCY_DEPARTMENT",
        reason: "Fall",
      },
    ],
  },
  education: {
    known: true,
    attendancePercent: 80,
    school: null,
    send: null,
    exclusions: [{ id: "EX-1", date: "2026-09-15", kind: "SUSPENSION", reason: "Fight" }],
  },
  probation: null,
  adultSocialCare: {
    known: true,
    careNeeds: null,
    safeguardingEnquiries: [
      { id: "SE-1", openedAt: "2026-11-19T10:00:00Z", concern: "Neglect", status: "OPEN" },
    ],
  },
};

describe("the chronology", () => {
  it("merges every agency's dated items, newest first, leaving undated ones out", () => {
    const items = mergeChronology(person);
    expect(items.map((i) => i.key)).toEqual([
      "mash:ENQ-1:0",
      // Same instant: by agency name, so the order is stable.
      "adult-social-care:SE-1",
      "mash:contact:C-1",
      "health:UC-1",
      "police:PI-1",
      "education:EX-1",
      "childrens-services:CN-1",
    ]);
    expect(items.find((i) => i.key === "police:PI-1")).toMatchObject({
      agency: "police",
      what: "Police incident: domestic abuse",
      detail: "Call-out",
    });
  });

  it("filters by agency, and shows all when none is chosen", () => {
    const items = mergeChronology(person);
    expect(agenciesIn(items)).toEqual([
      "adult-social-care",
      "childrens-services",
      "education",
      "health",
      "mash",
      "police",
    ]);
    expect(filterChronology(items, new Set(["police", "health"])).map((i) => i.key)).toEqual([
      "health:UC-1",
      "police:PI-1",
    ]);
    expect(filterChronology(items, new Set())).toHaveLength(items.length);
  });

  it("holds nothing of a part that did not come back", () => {
    expect(mergeChronology({ ...person, police: null }).some((i) => i.agency === "police")).toBe(
      false,
    );
  });
});
