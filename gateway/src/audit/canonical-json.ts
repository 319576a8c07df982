/**
 * JSON with object keys sorted at every level: the same record always hashes the same. Written
 * without the sorted copy `sortedCopy` makes: whatever JSON.stringify writes exactly as it would
 * the copy (plain objects whose keys are in order, lists, strings, numbers: what auditEntry
 * makes, keys in order at every level) goes to it as it is, a record whose own keys are out of
 * order as a shallow copy, and only objects around values out of order are written here.
 * Anything this writer does not know to write as the copy would be written (a Date or other
 * class, a toJSON, a function, an integer-like or `__proto__` key, a top-level undefined) is
 * written the old way, whole, so the output is the same text for every value (record.test.ts
 * checks it against the copy over thousands of varied values).
 */
export function canonicalJson(value: unknown): string {
  try {
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      const inOrder = sortedShallow(value);
      if (inOrder === HAS_SETTLED) return writeObject(value);
      if (inOrder) return JSON.stringify(inOrder);
    }
    return write(value);
  } catch (error) {
    if (error !== UNUSUAL) throw error;
    return JSON.stringify(sortedCopy(value));
  }
}

/** Thrown (and caught above) where the direct writer leaves a value to the sorted copy. */
const UNUSUAL = Symbol("unusual");

/** The canonical JSON of values made unchangeable by `settled`, written once. */
const settledText = new WeakMap<object, string>();
/** sortedShallow's answer for a record holding a settled value: written member by member. */
const HAS_SETTLED = Symbol("has settled");

/**
 * Freezes `value` at every level and keeps its canonical JSON, for a part many records repeat
 * (the fields a query releases, asked again): a record holding it has that text written in,
 * not the part written again. Frozen, the text cannot go stale.
 */
export function settled<T extends object>(value: T): T {
  // Only plain data: a toJSON, an accessor or an awkward key could write otherwise later, or
  // under another key; such a value is returned as it is, neither frozen nor kept.
  if (!plainData(value, 0)) return value;
  const text = canonicalJson(value);
  deepFreeze(value);
  settledText.set(value, text);
  return value;
}

/** Lists and plain objects of strings, numbers, booleans and null, with own data properties. */
function plainData(value: unknown, depth: number): boolean {
  const type = typeof value;
  if (type === "string" || type === "number" || type === "boolean" || value === null) return true;
  if (type !== "object" || depth > 16) return false;
  const array = Array.isArray(value);
  const prototype = Object.getPrototypeOf(value);
  if (array ? prototype !== Array.prototype : prototype !== Object.prototype) return false;
  const descriptors = Object.getOwnPropertyDescriptors(value);
  for (const key of Reflect.ownKeys(descriptors)) {
    if (typeof key !== "string") return false;
    if (array && key === "length") continue;
    if (!array && isAwkward(key)) return false;
    const descriptor = descriptors[key] as PropertyDescriptor;
    if (!("value" in descriptor) || !plainData(descriptor.value, depth + 1)) return false;
  }
  return true;
}

// Into every part, frozen or not (a frozen list may hold objects that are not); plainData has
// bounded the depth, so there is no cycle to follow.
function deepFreeze(value: unknown): void {
  if (typeof value !== "object" || value === null) return;
  Object.freeze(value);
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
}

/**
 * The object itself or a shallow copy with its keys in order, when every member is one
 * JSON.stringify writes as the sorted copy would be written (isReady); otherwise undefined.
 */
function sortedShallow(object: object): object | typeof HAS_SETTLED | undefined {
  if (!isPlain(object)) return undefined;
  let holdsSettled = false;
  let keys = Object.keys(object);
  let sorted = true;
  for (let i = 1; i < keys.length; i++)
    if ((keys[i - 1] as string) > (keys[i] as string)) {
      sorted = false;
      keys = keys.slice().sort();
      break;
    }
  const copy: Record<string, unknown> = {};
  for (const key of keys) {
    if (isAwkward(key)) return undefined;
    const member = (object as Record<string, unknown>)[key];
    if (member === undefined) continue;
    if (typeof member === "object" && member !== null && settledText.has(member))
      holdsSettled = true;
    else if (!isReady(member)) return undefined;
    if (!sorted) copy[key] = member;
  }
  if (holdsSettled) return HAS_SETTLED;
  return sorted ? object : copy;
}

/** Written by JSON.stringify exactly as its sorted copy would be, nested objects and all. */
function isReady(value: unknown): boolean {
  const type = typeof value;
  if (type === "string" || type === "number" || type === "boolean" || value === null) return true;
  if (type !== "object") return false;
  if (Array.isArray(value)) {
    if ((value as { toJSON?: unknown }).toJSON !== undefined) return false;
    for (let i = 0; i < value.length; i++) if (!isReady(value[i])) return false;
    return true;
  }
  if (!isPlain(value as object)) return false;
  // for-in rather than Object.keys: no list made per object. An inherited key it also meets
  // (an enumerable one on Object.prototype) at worst sends the value to the slower writers.
  let previous: string | undefined;
  for (const key in value as object) {
    if ((previous !== undefined && key <= previous) || isAwkward(key)) return false;
    previous = key;
    const member = (value as Record<string, unknown>)[key];
    if (member !== undefined && !isReady(member)) return false;
  }
  return true;
}

function write(value: unknown): string {
  switch (typeof value) {
    case "string":
    case "number":
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "object": {
      if (value === null) return "null";
      const text = settledText.get(value);
      if (text !== undefined) return text;
      if (isReady(value)) return JSON.stringify(value);
      return Array.isArray(value) ? writeList(value) : writeObject(value);
    }
    default:
      throw UNUSUAL;
  }
}

function writeList(list: unknown[]): string {
  if ((list as { toJSON?: unknown }).toJSON !== undefined) throw UNUSUAL;
  let out = "[";
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (i > 0) out += ",";
    // A hole or undefined is null in a list, in the copy as here.
    out += item === undefined ? "null" : write(item);
  }
  return `${out}]`;
}

const isPlain = (value: object) => {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};

/**
 * A key the copy would not write in its sorted place: integer-like keys come first in any
 * object, whatever the order they were added in, and `__proto__` set on the copy is no key.
 */
const isAwkward = (key: string) => {
  const first = key.charCodeAt(0);
  return (first >= 48 && first <= 57) || key === "__proto__" || key === "toJSON";
};

const quoted = new Map<string, string>();

/** A key as JSON writes it; the keys of records are few, so most are found written already. */
function quote(key: string): string {
  let text = quoted.get(key);
  if (text === undefined) {
    text = JSON.stringify(key);
    if (quoted.size < 4096) quoted.set(key, text);
  }
  return text;
}

function writeObject(object: object): string {
  if (!isPlain(object) || (object as { toJSON?: unknown }).toJSON !== undefined) throw UNUSUAL;
  let keys = Object.keys(object);
  for (let i = 1; i < keys.length; i++)
    if ((keys[i - 1] as string) > (keys[i] as string)) {
      keys = keys.slice().sort();
      break;
    }
  let out = "{";
  let first = true;
  for (const key of keys) {
    if (isAwkward(key)) throw UNUSUAL;
    const member = (object as Record<string, unknown>)[key];
    // Left out, as JSON.stringify leaves it out of the copy.
    if (member === undefined) continue;
    out += `${first ? "" : ","}${quote(key)}:${write(member)}`;
    first = false;
  }
  return `${out}}`;
}

/**
 * The value with every object's keys in order, sharing what needs no change: an array or plain
 * object already in order is returned itself rather than copied, which JSON.stringify writes
 * exactly as it would the copy. The reference the writer above keeps to.
 */
export function sortedCopy(value: unknown): unknown {
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const sorted = sortedCopy(item);
      if (sorted !== item) copy ??= value.slice(0, i);
      if (copy) copy[i] = sorted;
    }
    return copy ?? value;
  }
  if (value && typeof value === "object") {
    const keys = Object.keys(value);
    const prototype = Object.getPrototypeOf(value);
    // Anything but a plain object is copied into one, as it always was (a Date becomes {}):
    // handed over itself, JSON.stringify would call its toJSON.
    let changed = prototype !== Object.prototype && prototype !== null;
    for (let i = 1; i < keys.length && !changed; i++)
      if ((keys[i - 1] as string) > (keys[i] as string)) changed = true;
    if (changed) keys.sort();
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const v = (value as Record<string, unknown>)[key];
      // Left out of the copy; JSON.stringify leaves it out of the original alike.
      if (v === undefined) continue;
      const sorted = sortedCopy(v);
      if (sorted !== v) changed = true;
      out[key] = sorted;
    }
    return changed ? out : value;
  }
  return value;
}
