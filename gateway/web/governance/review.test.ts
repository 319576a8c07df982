import { describe, expect, it } from "vitest";
import { unifiedDiff } from "../../src/governance/line-diff.ts";
import { diffLines } from "./diff-view.tsx";
import { inboxSummary } from "./inbox.tsx";
import type { Inbox, PolicyVersion } from "./types.ts";

describe("the review card's diff", () => {
  it("reads the API's unified diff as hunks, removed, added and unchanged lines", () => {
    const diff = unifiedDiff("a\nb\nc\n", "a\nc\nd\n", { before: "in force", after: "v2" });
    expect(diffLines(diff)).toEqual([
      { kind: "hunk", text: "@@ -1,3 +1,3 @@" },
      { kind: "same", text: "a" },
      { kind: "removed", text: "b" },
      { kind: "same", text: "c" },
      { kind: "added", text: "d" },
    ]);
    expect(diffLines("")).toEqual([]);
  });
});

describe("the inbox summary read out on sign-in", () => {
  const version = { id: "police-v1" } as PolicyVersion;
  const inbox = (notifications: number | null): Inbox => ({
    proposalsToReview: [version, version],
    narrowingsToReview: [version],
    awaitingOthers: [],
    unacknowledgedNotifications: notifications,
  });

  it("counts what awaits the officer, notifications only when the gateway knows them", () => {
    expect(inboxSummary(inbox(1))).toBe(
      "2 proposals awaiting your review; 1 emergency narrowing awaiting your review; 1 notification not yet acknowledged.",
    );
    expect(inboxSummary(inbox(null))).toBe(
      "2 proposals awaiting your review; 1 emergency narrowing awaiting your review.",
    );
  });
});
