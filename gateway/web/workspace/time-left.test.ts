import { describe, expect, it } from "vitest";
import { durationWords, timeLeftWords } from "./time-left.ts";

const now = new Date("2026-12-01T12:00:00Z");
const at = (iso: string) => iso;

describe("time left in words", () => {
  it.each([
    [30 * 60_000, "30 min"],
    [59 * 60_000, "59 min"],
    [3 * 3_600_000, "3 h"],
    [47 * 3_600_000, "47 h"],
    [3 * 86_400_000 + 5, "3 d"],
    [10_000, "1 min"],
  ])("says %d ms as %s", (ms, words) => {
    expect(durationWords(ms)).toBe(words);
    expect(durationWords(-ms)).toBe(words);
  });

  it.each([
    [{ dueBy: at("2026-12-01T09:00:00Z"), overdue: true }, "overdue by 3 h"],
    [{ dueBy: at("2026-12-01T14:00:00Z"), overdue: false }, "due in 2 h"],
    [{ dueBy: at("2026-11-28T12:00:00Z"), overdue: true }, "overdue by 3 d"],
    // The hub knows better than the clock: answered late is not overdue.
    [{ dueBy: at("2026-12-01T09:00:00Z"), overdue: false }, "due now"],
    // Without the hub's verdict, the clock decides.
    [{ dueBy: at("2026-12-01T11:00:00Z") }, "overdue by 1 h"],
    [{ dueBy: null }, "no due time"],
    [
      { dueBy: at("2026-12-01T09:00:00Z"), overdue: true, doneAt: at("2026-12-01T10:00:00Z") },
      "done",
    ],
  ])("says %j as %s", (deadline, words) => {
    expect(timeLeftWords(deadline, now)).toBe(words);
  });

  it("marks an overdue deadline whose clock has not passed (the hub said so) as overdue", () => {
    expect(timeLeftWords({ dueBy: "2026-12-01T12:30:00Z", overdue: true }, now)).toBe(
      "overdue by 1 min",
    );
  });
});
