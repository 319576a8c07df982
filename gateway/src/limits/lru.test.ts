import { describe, expect, it } from "vitest";
import { Lru } from "./lru.ts";

describe("Lru", () => {
  it("stays at its entry bound however many keys come, dropping the least recently used", () => {
    const lru = new Lru<string, number>({ max: 3 });
    lru.set("a", 1).set("b", 2).set("c", 3);
    expect(lru.get("a")).toBe(1); // a is now the most recent: b is the oldest
    for (let i = 0; i < 1000; i++) lru.set(`k${i}`, i);
    expect(lru.size).toBe(3);
    expect([...lru.keys()]).toEqual(["k997", "k998", "k999"]);

    const small = new Lru<string, number>({ max: 3 });
    small.set("a", 1).set("b", 2).set("c", 3);
    small.get("a");
    small.set("d", 4);
    expect([...small.keys()]).toEqual(["c", "a", "d"]);
    expect(small.has("b")).toBe(false);
  });

  it("stays within its size bound, and keeps nothing larger than the bound alone", () => {
    const lru = new Lru<string, string>({ max: 100, maxSize: 10, sizeOf: (v) => v.length });
    lru.set("a", "aaaa").set("b", "bbbb");
    lru.get("a");
    lru.set("c", "cccc"); // 12 > 10: b, the least recently used, goes
    expect([...lru.keys()]).toEqual(["a", "c"]);
    expect(lru.totalSize).toBe(8);
    lru.set("huge", "x".repeat(11));
    expect(lru.has("huge")).toBe(false);
    expect(lru.size).toBe(2);
    for (let i = 0; i < 100; i++) lru.set(`k${i}`, "yyy");
    expect(lru.totalSize).toBeLessThanOrEqual(10);
    expect(lru.size).toBe(3);
  });

  it("replaces a kept key's value and size, and getOrSet makes a value once", () => {
    const lru = new Lru<string, string>({ max: 2, maxSize: 100, sizeOf: (v) => v.length });
    lru.set("a", "12345").set("a", "12");
    expect(lru.size).toBe(1);
    expect(lru.totalSize).toBe(2);
    let made = 0;
    const make = () => `v${++made}`;
    expect(lru.getOrSet("b", make)).toBe("v1");
    expect(lru.getOrSet("b", make)).toBe("v1");
    expect(made).toBe(1);
    expect(lru.delete("a")).toBe(true);
    lru.clear();
    expect([lru.size, lru.totalSize]).toEqual([0, 0]);
  });

  it("refuses a bound that holds nothing", () => {
    expect(() => new Lru({ max: 0 })).toThrow(RangeError);
  });
});
