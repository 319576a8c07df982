import { describe, expect, it } from "vitest";
import { dueBy } from "./enquiries.ts";
import { loadSettings } from "./settings.ts";

describe("RAG timescales", () => {
  it("default to 4, 24 and 72 hours", () => {
    expect(loadSettings({}).ragHours).toEqual({ RED: 4, AMBER: 24, GREEN: 72 });
  });
  it("come from MASH_RAG_HOURS", () => {
    const settings = loadSettings({ MASH_RAG_HOURS: "red=2, AMBER=6,GREEN=24" });
    expect(settings.ragHours).toEqual({ RED: 2, AMBER: 6, GREEN: 24 });
    expect(dueBy(new Date("2026-11-20T09:15:00Z"), "RED", settings)).toBe("2026-11-20T11:15:00Z");
  });
  it("refuse a setting they cannot read, naming it", () => {
    expect(() => loadSettings({ MASH_RAG_HOURS: "PURPLE=3" })).toThrow(/MASH_RAG_HOURS: "PURPLE"/);
    expect(() => loadSettings({ MASH_RAG_HOURS: "RED=-1" })).toThrow(/RED=-1 is not a positive/);
  });
});
