import { describe, expect, it } from "vitest";
import { OUTSIDE } from "../authz/narrow-fetch.ts";
import { joinedAnswer } from "./narrowed-send.ts";

describe("the planned fetch's answer, joined", () => {
  it("puts each part's entities and errors in their planned places, null for the unasked", () => {
    const answer = joinedAnswer(
      5,
      {
        data: { _entities: [{ a: 1 }, { a: 2 }], [OUTSIDE]: [{ b: 3 }] },
        errors: [
          { message: "x", path: [OUTSIDE, 0, "police"] },
          { message: "y", path: ["_entities", 1] },
          { message: "z" },
        ],
      },
      [
        { key: "_entities", positions: [0, 3] },
        { key: OUTSIDE, positions: [4] },
      ],
    );
    expect(answer.data).toEqual({ _entities: [{ a: 1 }, null, null, { a: 2 }, { b: 3 }] });
    expect(answer.errors).toEqual([
      { message: "x", path: ["_entities", 4, "police"] },
      { message: "y", path: ["_entities", 3] },
      { message: "z" },
    ]);
  });

  it("answers every entity null when nothing was sent", () => {
    expect(joinedAnswer(2, undefined, [])).toEqual({ data: { _entities: [null, null] } });
  });

  it("refuses an answer out of shape, and moves a null data's errors", () => {
    const short = { data: { _entities: [{ a: 1 }] } };
    expect(() => joinedAnswer(3, short, [{ key: "_entities", positions: [0, 2] }])).toThrow(
      /no list of 2 at _entities/,
    );
    const failed = joinedAnswer(
      3,
      { data: null, errors: [{ message: "e", path: ["_entities", 1] }] },
      [{ key: "_entities", positions: [0, 2] }],
    );
    expect(failed).toEqual({ data: null, errors: [{ message: "e", path: ["_entities", 2] }] });
  });

  it("never lets the second field's name reach a path: an unplaceable error goes at _entities", () => {
    const answer = joinedAnswer(
      2,
      {
        data: null,
        errors: [
          { message: "a", path: [OUTSIDE] },
          { message: "b", path: [OUTSIDE, 7, "police"] },
        ],
      },
      [
        { key: "_entities", positions: [0] },
        { key: OUTSIDE, positions: [1] },
      ],
    );
    expect(answer.errors).toEqual([
      { message: "a", path: ["_entities"] },
      { message: "b", path: ["_entities"] },
    ]);
  });
});
