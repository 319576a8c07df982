import { describe, expect, it } from "vitest";
import { jaroWinkler, nameTokens, phoneticKey } from "./text.ts";

describe("name tokens", () => {
  it("folds case, accents, apostrophes and hyphens", () => {
    expect(nameTokens("  Zoë O'Brien-Smith ")).toEqual(["zoe", "obrien", "smith"]);
  });
});

describe("phonetic key", () => {
  it.each([
    ["Doe", "Dough"],
    ["Smith", "Smyth"],
    ["Thompson", "Thomson"],
    ["Amelia", "Emelia"],
    ["Philips", "Phillips"],
    ["Clarke", "Clark"],
  ])("%s sounds like %s", (a, b) => {
    expect(phoneticKey(a)).toBe(phoneticKey(b));
  });

  it.each([
    ["Doe", "Price"],
    ["Amelia", "Noah"],
    ["Smith", "Jones"],
  ])("%s does not sound like %s", (a, b) => {
    expect(phoneticKey(a)).not.toBe(phoneticKey(b));
  });
});

describe("Jaro-Winkler", () => {
  it("is 1 for equal strings and 0 for nothing in common", () => {
    expect(jaroWinkler("amelia", "amelia")).toBe(1);
    expect(jaroWinkler("abc", "xyz")).toBe(0);
  });
  it("ranks a one-letter typo above a different name", () => {
    expect(jaroWinkler("amelia", "amellia")).toBeGreaterThan(0.9);
    expect(jaroWinkler("amelia", "amelia")).toBeGreaterThan(jaroWinkler("amelia", "olivia"));
  });
});
