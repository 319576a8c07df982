/**
 * canonicalJson as it was written before issue 14: a sorted copy of everything, stringified. The
 * reference the new one is checked against (record.test.ts) and timed against (test/bench/audit.ts).
 */
export function canonicalCopy(value: unknown): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(v).sort()) {
        const member = (v as Record<string, unknown>)[key];
        if (member !== undefined) out[key] = sortKeys(member);
      }
      return out;
    }
    return v;
  };
  return JSON.stringify(sortKeys(value));
}
