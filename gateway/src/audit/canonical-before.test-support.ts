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

/**
 * canonicalJson as it was written before the direct writer (canonical-json.ts): the sorted copy
 * sharing what needs no change. The stored bodies are this text; it differs from canonicalCopy
 * only for a `__proto__` key JSON.parse made, which it keeps where the copy loses it.
 */
export function canonicalSharing(value: unknown): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) {
      let copy: unknown[] | undefined;
      for (let i = 0; i < v.length; i++) {
        const item: unknown = v[i];
        const sorted = sortKeys(item);
        if (sorted !== item) copy ??= v.slice(0, i);
        if (copy) copy[i] = sorted;
      }
      return copy ?? v;
    }
    if (v && typeof v === "object") {
      const keys = Object.keys(v);
      const prototype = Object.getPrototypeOf(v);
      let changed = prototype !== Object.prototype && prototype !== null;
      for (let i = 1; i < keys.length && !changed; i++)
        if ((keys[i - 1] as string) > (keys[i] as string)) changed = true;
      if (changed) keys.sort();
      const out: Record<string, unknown> = {};
      for (const key of keys) {
        const member = (v as Record<string, unknown>)[key];
        if (member === undefined) continue;
        const sorted = sortKeys(member);
        if (sorted !== member) changed = true;
        out[key] = sorted;
      }
      return changed ? out : v;
    }
    return v;
  };
  return JSON.stringify(sortKeys(value));
}
