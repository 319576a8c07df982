import { describe, expect, it } from "vitest";
import { orderByUrgency, type RankedEnquiry } from "./enquiry-order.ts";

const ids = (list: readonly RankedEnquiry[]) => list.map((item) => item.id);

/** An enquiry as the hub lists it: id, rating, opened, due (days and hours of November 2026). */
const enquiry = (id: string, rag: string | null, opened: string | null, due: string | null) => ({
  id,
  rag,
  openedAt: opened && `2026-11-${opened}:00Z`,
  dueBy: due && `2026-11-${due}:00Z`,
});

describe("the purpose picker's order", () => {
  it("puts RED before AMBER before GREEN, whatever their deadlines or the hub's order", () => {
    // The hub lists newest first: here the RED one, rated today, while the GREEN and AMBER ones
    // went past their deadlines last week. The rating still comes first.
    const listed = [
      enquiry("ENQ-1", "RED", "25T10:00", "25T14:00"),
      enquiry("ENQ-3", "GREEN", "12T10:00", "17T10:00"),
      enquiry("ENQ-2", "AMBER", "11T10:00", "18T10:00"),
    ];
    expect(ids(orderByUrgency(listed))).toEqual(["ENQ-1", "ENQ-2", "ENQ-3"]);
  });

  it("within a rating, puts the least time left to the deadline first, overdue ones foremost", () => {
    const listed = [
      enquiry("ENQ-10", "AMBER", "24T09:00", "25T09:00"),
      // Re-rated AMBER from GREEN late: opened earlier, yet due later.
      enquiry("ENQ-11", "AMBER", "20T09:00", "26T09:00"),
      // Overdue: its deadline has passed.
      enquiry("ENQ-12", "AMBER", "19T09:00", "20T09:00"),
    ];
    expect(ids(orderByUrgency(listed))).toEqual(["ENQ-12", "ENQ-10", "ENQ-11"]);
  });

  it("with the same deadline, puts the newest opened first, then orders by id", () => {
    const listed = [
      enquiry("ENQ-21", "GREEN", "20T09:00", "25T17:00"),
      enquiry("ENQ-23", "GREEN", "21T09:00", "25T17:00"),
      enquiry("ENQ-22", "GREEN", "21T09:00", "25T17:00"),
    ];
    expect(ids(orderByUrgency(listed))).toEqual(["ENQ-22", "ENQ-23", "ENQ-21"]);
  });

  it("puts what it cannot rank after what it can, and leaves the input as it was", () => {
    const listed = [
      enquiry("ENQ-31", null, null, null),
      enquiry("ENQ-32", "GREEN", "21T09:00", null),
      { ...enquiry("ENQ-33", "GREEN", "21T09:00", null), dueBy: "not a time" },
      enquiry("ENQ-34", "GREEN", "20T09:00", "30T09:00"),
      { id: "ENQ-35", rag: "PURPLE" },
    ];
    const before = ids(listed);
    expect(ids(orderByUrgency(listed))).toEqual(["ENQ-34", "ENQ-32", "ENQ-33", "ENQ-31", "ENQ-35"]);
    expect(ids(listed)).toEqual(before);
  });
});
