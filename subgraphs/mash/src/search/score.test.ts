import { describe, expect, it } from "vitest";
import { dateSimilarity, nameSimilarity, scoreCandidate } from "./score.ts";

const amelia = {
  given: "Amelia",
  family: "Doe",
  dateOfBirth: "2017-03-14",
  nhsNumber: "9990001014",
  postcode: "PR1 4XY",
};

describe("scoring", () => {
  it("gives 1 to an exact match on everything asked", () => {
    const s = scoreCandidate({ name: "Amelia Doe", dateOfBirth: "2017-03-14" }, amelia);
    expect(s.score).toBe(1);
    expect(s.matches).toEqual([
      { field: "NAME", quality: "EXACT" },
      { field: "DATE_OF_BIRTH", quality: "EXACT" },
    ]);
  });

  it("keeps swapped names close but below the right order", () => {
    const swapped = nameSimilarity("Doe Amelia", amelia);
    expect(swapped.exact).toBe(false);
    expect(swapped.score).toBeGreaterThan(0.9);
    expect(swapped.score).toBeLessThan(1);
  });

  it("matches partial and misspelt names as CLOSE", () => {
    expect(scoreCandidate({ name: "Ame Doe" }, amelia).matches).toEqual([
      { field: "NAME", quality: "CLOSE" },
    ]);
    expect(scoreCandidate({ name: "Amellia Dow" }, amelia).score).toBeGreaterThan(0.8);
  });

  it("does not pair one query token with two name parts", () => {
    expect(nameSimilarity("Doe Doe", amelia).score).toBeLessThan(0.6);
  });

  it("settles on an exact NHS number whatever the name", () => {
    const s = scoreCandidate({ name: "Someone Else", nhsNumber: "9990001014" }, amelia);
    expect(s.score).toBe(1);
    expect(s.matches[0]).toEqual({ field: "NHS_NUMBER", quality: "EXACT" });
  });

  it("counts a wrong NHS number against the match", () => {
    const wrong = scoreCandidate({ name: "Amelia Doe", nhsNumber: "9990001022" }, amelia);
    expect(wrong.score).toBeLessThan(scoreCandidate({ name: "Amelia Doe" }, amelia).score);
  });

  it("counts a criterion it may not read of the candidate as asked and not matched", () => {
    const unread = scoreCandidate({ name: "Amelia Doe" }, amelia, ["postcode"]);
    expect(unread).toEqual(scoreCandidate({ name: "Amelia Doe", postcode: "ZZ9 9ZZ" }, amelia));
    expect(unread.score).toBeLessThan(scoreCandidate({ name: "Amelia Doe" }, amelia).score);
  });

  it("forgives a transposed day and month or one wrong digit, not a different date", () => {
    expect(dateSimilarity("2017-14-03", "2017-03-14")).toBeGreaterThan(0.5);
    expect(dateSimilarity("2017-03-15", "2017-03-14")).toBeGreaterThan(0.5);
    expect(dateSimilarity("2016-09-01", "2017-03-14")).toBe(0);
  });

  it("scores postcodes exactly, or close on the same outward code", () => {
    expect(scoreCandidate({ postcode: "pr14xy" }, amelia).matches).toEqual([
      { field: "POSTCODE", quality: "EXACT" },
    ]);
    expect(scoreCandidate({ postcode: "PR1 9GH" }, amelia).matches).toEqual([
      { field: "POSTCODE", quality: "CLOSE" },
    ]);
  });
});
