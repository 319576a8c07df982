import type { WithheldField } from "@mash/client-kit";
import { describe, expect, it } from "vitest";
import { distinctNotes, repeatCountAt, repeatWords } from "./repeat-contacts.ts";

const withheld = (path: string, reason = "front doors only"): WithheldField => ({
  path,
  segments: path.split(".").map((s) => (/^\d+$/.test(s) ? Number(s) : s)),
  rule: "default-deny",
  reason,
  owner: "mash",
  contact: undefined,
});

describe("repeat-contact counts", () => {
  it("shows the graph's figure, 0 included, and withheld only where the graph says so", () => {
    const notes = [withheld("enquiries.1.subjects.0.recentContacts")];
    expect(repeatCountAt(0, "enquiries.0.subjects.0.recentContacts", notes)).toEqual({
      kind: "count",
      contacts: 0,
    });
    expect(repeatCountAt(null, "enquiries.1.subjects.0.recentContacts", notes)).toMatchObject({
      kind: "withheld",
      note: { owner: "mash" },
    });
    // Null with no withheld error at that path: not known, never a 0.
    expect(repeatCountAt(null, "enquiries.2.subjects.0.recentContacts", notes)).toEqual({
      kind: "unknown",
    });
  });

  it("words the figure, and calls more than one a repeat", () => {
    expect([0, 1, 3].map(repeatWords)).toEqual([
      "no contacts in the last 12 months",
      "1 contact in the last 12 months",
      "3 contacts in the last 12 months (repeat contacts)",
    ]);
  });

  it("lists a field withheld for every person once, and different fields or reasons apart", () => {
    const notes = [
      withheld("enquiries.0.subjects.0.recentContacts"),
      withheld("enquiries.0.subjects.1.recentContacts"),
      withheld("enquiries.3.subjects.0.recentContacts"),
      withheld("enquiries.3.subjects.0.recentContacts", "another reason"),
      withheld("enquiries.0.reason"),
    ];
    expect(distinctNotes(notes).map((n) => `${n.path}: ${n.reason}`)).toEqual([
      "enquiries.0.subjects.0.recentContacts: front doors only",
      "enquiries.3.subjects.0.recentContacts: another reason",
      "enquiries.0.reason: front doors only",
    ]);
  });
});
