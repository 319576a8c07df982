import { describe, expect, it } from "vitest";
import { enquiryLabel } from "./enquiry-label.ts";

const enquiry = { id: "ENQ-2001", rag: "RED", reason: "School reports a disclosure" };

describe("the purpose picker's labels", () => {
  it("says in words how urgent an enquiry is: overdue, or when its decision is due", () => {
    expect(enquiryLabel({ ...enquiry, overdue: true, dueBy: "2026-11-20T13:15:00Z" })).toBe(
      "ENQ-2001 (RED, overdue): School reports a disclosure",
    );
    expect(
      enquiryLabel({ ...enquiry, overdue: false, dueBy: "2026-11-20T13:15:00Z" }, "Europe/London"),
    ).toBe("ENQ-2001 (RED, due 20 Nov, 13:15): School reports a disclosure");
  });

  it("gives the rating alone when the deadline is unknown", () => {
    expect(enquiryLabel({ ...enquiry, dueBy: null })).toBe(
      "ENQ-2001 (RED): School reports a disclosure",
    );
    expect(enquiryLabel({ ...enquiry, dueBy: "soon" })).toBe(
      "ENQ-2001 (RED): School reports a disclosure",
    );
  });
});
