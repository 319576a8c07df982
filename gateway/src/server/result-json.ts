import type { FormattedExecutionResult } from "graphql";
import {
  hasToJSON,
  keyJson,
  Parts,
  type Piece,
  pathJson,
  plainObject,
  serializable,
  sharedJson,
  stringJson,
} from "./json-pieces.ts";

/**
 * The text of an answer: exactly `JSON.stringify(result) + "\n"`, the text Apollo Server writes,
 * made cheaper where an answer repeats itself. A list of fifty people can carry hundreds of
 * withheld-field errors; each is some 750 bytes, of which only the path differs from the next:
 * the message, the locations and the extensions are the same frozen objects the judge made once
 * (judge.ts, filter-plan.ts's locationsOf), and their JSON is written once and reused. Anything
 * this writer does not know exactly how JSON.stringify would write is handed to JSON.stringify.
 */
export function stringifyResult(result: FormattedExecutionResult): string {
  const parts = partsOf(result);
  if (typeof parts === "string") return parts;
  const texts: string[] = [];
  for (const part of parts) texts.push(typeof part === "string" ? part : part.text);
  return texts.join("");
}

/**
 * The same answer as its UTF-8 bytes, the form it leaves in: stringifyResult's text encoded.
 * Built from the parts without making that text first: an answer of 180 KB as one string is a
 * fresh large object of V8's (and `Buffer.from` a second copy), which cost the event loop some
 * 0.2 ms a list of fifty people; the errors' repeated parts are kept as bytes already.
 */
export function resultBytes(result: FormattedExecutionResult): Buffer {
  const parts = partsOf(result);
  if (typeof parts === "string") return Buffer.from(parts);
  let length = 0;
  for (const part of parts)
    length += typeof part === "string" ? Buffer.byteLength(part) : part.bytes.length;
  const bytes = Buffer.allocUnsafe(length);
  let at = 0;
  for (const part of parts) {
    if (typeof part === "string") at += bytes.write(part, at);
    else {
      bytes.set(part.bytes, at);
      at += part.bytes.length;
    }
  }
  // allocUnsafe's memory may hold an earlier reply: every byte must have been written.
  if (at !== length) return Buffer.from(stringifyResult(result));
  return bytes;
}

/** The answer's text in parts, in order; the whole text where JSON.stringify wrote it. */
function partsOf(result: FormattedExecutionResult): (string | Piece)[] | string {
  const errors = result.errors;
  if (!errors || errors.length === 0 || !plainObject(result) || hasToJSON(result))
    return `${JSON.stringify(result)}\n`;
  // Parts joined once: a text built by `+=` is a tree of thousands of pieces, which encoding
  // the reply to bytes must first copy flat, and that copy cost more than the writing.
  const parts = new Parts();
  parts.add("{");
  let first = true;
  for (const key of Object.keys(result)) {
    const value = (result as Record<string, unknown>)[key];
    if (hasToJSON(value)) return `${JSON.stringify(result)}\n`;
    if (!serializable(value)) continue;
    const mark = parts.mark();
    parts.add(first ? "" : ",", keyJson(key), ":");
    if (key === "errors" && Array.isArray(value)) errorsJson(value, parts);
    else {
      const text = JSON.stringify(value);
      if (text === undefined) {
        parts.reset(mark);
        continue;
      }
      parts.add(text);
    }
    first = false;
  }
  parts.add("}\n");
  return parts.done();
}

function errorsJson(errors: readonly unknown[], parts: Parts): void {
  parts.add("[");
  for (let i = 0; i < errors.length; i++) {
    const error = errors[i];
    if (i) parts.add(",");
    if (plainObject(error) && !hasToJSON(error)) {
      if (templated(error, parts)) continue;
      const mark = parts.mark();
      if (errorJson(error, parts)) continue;
      parts.reset(mark);
    }
    parts.add(elementJson(error, i));
  }
  parts.add("]");
}

/**
 * The text JSON.stringify writes for `value` at index `i` of an array: a toJSON is handed the
 * index as its key ("3"), not the "" a value stringified alone would give it.
 */
function elementJson(value: unknown, i: number): string {
  if (!hasToJSON(value)) return JSON.stringify(value) ?? "null";
  const key = String(i);
  const text = JSON.stringify({ [key]: value });
  const head = `{${JSON.stringify(key)}:`;
  return text.startsWith(head) ? text.slice(head.length, -1) : "null";
}

/** One error's text added to `parts`; false where JSON.stringify must write it (parts then hold some of it). */
function errorJson(error: Record<string, unknown>, parts: Parts): boolean {
  parts.add("{");
  let first = true;
  for (const key of Object.keys(error)) {
    const value = error[key];
    if (hasToJSON(value)) return false;
    if (!serializable(value)) continue;
    let text: string | undefined;
    if (typeof value === "string") text = stringJson(value);
    else if (key === "path" && Array.isArray(value)) text = pathJson(value);
    else text = sharedJson(value) ?? JSON.stringify(value);
    if (text === undefined) continue;
    parts.add(first ? "" : ",", keyJson(key), ":", text);
    first = false;
  }
  parts.add("}");
  return true;
}

/**
 * An error whose members are all strings or frozen plain data, but for its path: its text
 * before the path and after it, written once. Kept by the last frozen object among its values
 * (a withheld field's extensions), so it lives only as long as that object does.
 */
interface Template {
  keys: readonly string[];
  /** The error's values, the path's place empty: the same values make the same text. */
  values: readonly unknown[];
  head: Piece;
  tail: Piece;
}
const templates = new WeakMap<object, Template[]>();
/** Per object: one template for each place the judge's errors with it were located. */
const TEMPLATES_PER_OBJECT = 16;

/**
 * Adds an error made of one template and its path; false (nothing added) for any other. Each
 * member is read once, as JSON.stringify reads it.
 */
function templated(error: Record<string, unknown>, parts: Parts): boolean {
  const keys = Object.keys(error);
  const values: unknown[] = new Array(keys.length);
  let anchor: object | undefined;
  let pathAt = -1;
  for (let i = 0; i < keys.length; i++) {
    const value = error[keys[i] as string];
    values[i] = value;
    if (keys[i] === "path" && Array.isArray(value) && !hasToJSON(value)) pathAt = i;
    else if (typeof value === "object" && value !== null) anchor = value;
    else if (typeof value !== "string") return false;
  }
  if (pathAt < 0 || anchor === undefined) return false;
  const kept = templates.get(anchor);
  let template = kept?.find((t) => fits(t, keys, values, pathAt));
  if (!template) {
    template = templateOf(keys, values, pathAt);
    if (!template) return false;
    const list = kept ?? [];
    if (list.length >= TEMPLATES_PER_OBJECT) list.shift();
    list.push(template);
    if (!kept) templates.set(anchor, list);
  }
  parts.piece(template.head);
  parts.add(pathJson(values[pathAt] as unknown[]));
  parts.piece(template.tail);
  return true;
}

function fits(t: Template, keys: string[], values: unknown[], pathAt: number) {
  if (t.keys.length !== keys.length) return false;
  for (let i = 0; i < keys.length; i++) {
    if (t.keys[i] !== keys[i]) return false;
    if (i !== pathAt && t.values[i] !== values[i]) return false;
  }
  return true;
}

/** Undefined where a member is not frozen plain data (its text could change). */
function templateOf(keys: string[], values: unknown[], pathAt: number): Template | undefined {
  const kept: unknown[] = [];
  const texts: string[] = [];
  for (let i = 0; i < keys.length; i++) {
    const value = i === pathAt ? undefined : values[i];
    const text =
      i === pathAt ? "" : typeof value === "string" ? stringJson(value) : sharedJson(value);
    if (text === undefined) return undefined;
    kept.push(value);
    texts.push(`${i ? "," : ""}${keyJson(keys[i] as string)}:${text}`);
  }
  const piece = (text: string): Piece => ({ text, bytes: Buffer.from(text) });
  return {
    keys,
    values: kept,
    head: piece(`{${texts.slice(0, pathAt + 1).join("")}`),
    tail: piece(`${texts.slice(pathAt + 1).join("")}}`),
  };
}
