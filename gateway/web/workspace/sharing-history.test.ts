import { describe, expect, it } from "vitest";
import { decisionWords, historyLines, type RecordedDecision } from "./sharing-history.ts";

const decision = (
  agency: string,
  kind: RecordedDecision["decision"],
  recordedAt: string,
  reason = `${agency} ${kind}`,
): RecordedDecision => ({
  agency,
  decision: kind,
  reason,
  recordedBy: `${agency}.user`,
  recordedAt,
});

describe("the sharing-decision history", () => {
  it("lists every decision oldest first, the last of each agency current, an amended one with when", () => {
    // As the hub lists them: newest first.
    const history = [
      decision("health", "DO_NOT_SHARE", "2026-12-01T12:00:00Z"),
      decision("police", "SHARE", "2026-12-01T11:00:00Z"),
      decision("health", "SHARE", "2026-12-01T10:00:00Z"),
      decision("health", "SHARE_WITH_CONDITIONS", "2026-12-01T09:00:00Z"),
    ];
    expect(
      historyLines(history).map((line) => [
        line.decision.agency,
        line.decision.decision,
        line.current,
        line.amendedAt,
      ]),
    ).toEqual([
      ["health", "SHARE_WITH_CONDITIONS", false, "2026-12-01T10:00:00Z"],
      ["health", "SHARE", false, "2026-12-01T12:00:00Z"],
      ["police", "SHARE", true, undefined],
      ["health", "DO_NOT_SHARE", true, undefined],
    ]);
  });

  it("keeps the hub's order for two recorded at the same instant: the later listed first is current", () => {
    const history = [
      decision("police", "DO_NOT_SHARE", "2026-12-01T09:00:00Z", "second"),
      decision("police", "SHARE", "2026-12-01T09:00:00Z", "first"),
    ];
    expect(historyLines(history).map((line) => [line.decision.reason, line.current])).toEqual([
      ["first", false],
      ["second", true],
    ]);
  });

  it("is empty for an enquiry with no decision, and words each kind", () => {
    expect(historyLines([])).toEqual([]);
    expect(["SHARE", "SHARE_WITH_CONDITIONS", "DO_NOT_SHARE"].map(decisionWords)).toEqual([
      "Share",
      "Share with conditions",
      "Do not share",
    ]);
  });
});
