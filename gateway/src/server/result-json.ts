import type { FormattedExecutionResult } from "graphql";

/**
 * The text of an answer: exactly `JSON.stringify(result) + "\n"`, the text Apollo Server writes,
 * made cheaper where an answer repeats itself. A list of fifty people can carry hundreds of
 * withheld-field errors; each is some 750 bytes, of which only the path differs from the next:
 * the message, the locations and the extensions are the same frozen objects the judge made once
 * (judge.ts, filter-plan.ts's locationsOf), and their JSON is written once and reused. Anything
 * this writer does not know exactly how JSON.stringify would write is handed to JSON.stringify.
 */
export function stringifyResult(result: FormattedExecutionResult): string {
  const errors = result.errors;
  if (!errors || errors.length === 0 || !plainObject(result) || hasToJSON(result))
    return `${JSON.stringify(result)}\n`;
  // Pieces joined once: a text built by `+=` is a tree of thousands of pieces, which encoding
  // the reply to bytes must first copy flat, and that copy cost more than the writing (a list of
  // fifty people with 235 withheld fields: some 0.5 ms of the event loop).
  const parts: string[] = ["{"];
  let first = true;
  for (const key of Object.keys(result)) {
    const value = (result as Record<string, unknown>)[key];
    if (!serializable(value)) continue;
    if (hasToJSON(value)) return `${JSON.stringify(result)}\n`;
    const mark = parts.length;
    parts.push(first ? "" : ",", keyJson(key), ":");
    if (key === "errors" && Array.isArray(value)) errorsJson(value, parts);
    else {
      const text = JSON.stringify(value);
      if (text === undefined) {
        parts.length = mark;
        continue;
      }
      parts.push(text);
    }
    first = false;
  }
  parts.push("}\n");
  return parts.join("");
}

/**
 * JSON.stringify calls a toJSON wherever it is found (own or inherited, enumerable or not) and
 * hands it the key it is written under; such values are left to it whole.
 */
const hasToJSON = (value: unknown) =>
  value !== null &&
  typeof value === "object" &&
  typeof (value as { toJSON?: unknown }).toJSON === "function";

/** What JSON.stringify leaves out of an object. */
const serializable = (value: unknown) =>
  value !== undefined && typeof value !== "function" && typeof value !== "symbol";

const plainObject = (value: unknown): value is Record<string, unknown> => {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

function errorsJson(errors: readonly unknown[], parts: string[]): void {
  parts.push("[");
  for (let i = 0; i < errors.length; i++) {
    const error = errors[i];
    if (i) parts.push(",");
    const mark = parts.length;
    if (plainObject(error) && !hasToJSON(error) && errorJson(error, parts)) continue;
    parts.length = mark;
    parts.push(JSON.stringify(error) ?? "null");
  }
  parts.push("]");
}

/** One error's text added to `parts`; false where JSON.stringify must write it (parts then hold some of it). */
function errorJson(error: Record<string, unknown>, parts: string[]): boolean {
  parts.push("{");
  let first = true;
  for (const key of Object.keys(error)) {
    const value = error[key];
    if (!serializable(value)) continue;
    if (hasToJSON(value)) return false;
    let text: string | undefined;
    if (typeof value === "string") text = stringJson(value);
    else if (key === "path" && Array.isArray(value)) text = pathJson(value);
    else text = sharedJson(value) ?? JSON.stringify(value);
    if (text === undefined) continue;
    parts.push(first ? "" : ",", keyJson(key), ":", text);
    first = false;
  }
  parts.push("}");
  return true;
}

/** A path is names and indexes; anything else in it is JSON.stringify's to write. */
function pathJson(path: readonly unknown[]): string {
  let out = "[";
  for (let i = 0; i < path.length; i++) {
    const step = path[i];
    let text: string;
    if (typeof step === "number" && Number.isSafeInteger(step)) text = String(step);
    else if (typeof step === "string") text = stringJson(step);
    else return JSON.stringify(path);
    out += i ? `,${text}` : text;
  }
  return `${out}]`;
}

// Strings repeat within an answer and across answers (messages, field names); the texts kept
// are bounded, and forgotten all at once when full: a client cannot grow them.
const STRINGS_KEPT = 1024;
const strings = new Map<string, string>();
function stringJson(value: string): string {
  let text = strings.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    if (value.length <= 1024) {
      if (strings.size >= STRINGS_KEPT) strings.clear();
      // Kept under a copy of its own: a name sliced from a query text would keep the whole
      // request body alive for as long as it stayed in the table.
      strings.set(JSON.parse(text) as string, text);
    }
  }
  return text;
}
const keyJson = stringJson;

/**
 * The JSON of an object that cannot change: frozen all the way down, plain data (no accessors,
 * no toJSON, no prototype of its own). Its text is written once; a WeakMap keeps it only as long
 * as the object lives. Any other object: undefined, for JSON.stringify to write.
 */
const written = new WeakMap<object, string>();
const notShareable = new WeakSet<object>();
export function sharedJson(value: unknown): string | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const known = written.get(value);
  if (known !== undefined) return known;
  if (notShareable.has(value) || !immutable(value)) {
    notShareable.add(value);
    return undefined;
  }
  const text = JSON.stringify(value);
  written.set(value, text);
  return text;
}

function immutable(value: object, depth = 0): boolean {
  if (depth > 8 || !Object.isFrozen(value)) return false;
  const array = Array.isArray(value);
  const proto = Object.getPrototypeOf(value);
  if (!array && proto !== Object.prototype && proto !== null) return false;
  if (array && proto !== Array.prototype) return false;
  const descriptors = Object.getOwnPropertyDescriptors(value);
  if ("toJSON" in descriptors) return false;
  for (const key of Reflect.ownKeys(descriptors)) {
    const descriptor = descriptors[key as string] as PropertyDescriptor;
    if (!("value" in descriptor)) return false;
    const inner = descriptor.value;
    if (inner !== null && typeof inner === "object" && !immutable(inner, depth + 1)) return false;
    if (typeof inner === "bigint") return false;
  }
  return true;
}
