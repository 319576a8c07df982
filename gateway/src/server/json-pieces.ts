/**
 * The pieces result-json.ts writes an answer from: JSON texts written once and kept (strings,
 * frozen objects), and the list of parts an answer is made of.
 * Each writes exactly what JSON.stringify would, or nothing where it cannot know that.
 */

/**
 * JSON.stringify calls a toJSON wherever it is found (own or inherited, enumerable or not; on
 * an object, a function or a BigInt) and hands it the key it is written under; such values are
 * left to it whole. (A toJSON put on String, Number or Boolean's prototype is not looked for.)
 */
export const hasToJSON = (value: unknown) =>
  (typeof value === "object" || typeof value === "function" || typeof value === "bigint") &&
  value !== null &&
  typeof (value as { toJSON?: unknown }).toJSON === "function";

/** What JSON.stringify leaves out of an object. */
export const serializable = (value: unknown) =>
  value !== undefined && typeof value !== "function" && typeof value !== "symbol";

export const plainObject = (value: unknown): value is Record<string, unknown> => {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/** Text written once and kept, with its bytes. */
export interface Piece {
  text: string;
  bytes: Buffer;
}

/**
 * Strings are gathered into one run until a kept piece comes, so the parts stay few (a
 * withheld error is three: its kept head, its path, its kept tail).
 */
export class Parts {
  private readonly list: (string | Piece)[] = [];
  private run: string[] = [];
  add(...texts: string[]): void {
    for (const text of texts) this.run.push(text);
  }
  piece(piece: Piece): void {
    this.flush();
    this.list.push(piece);
  }
  /** Where to come back to if what follows is JSON.stringify's to write after all. */
  mark(): number {
    this.flush();
    return this.list.length;
  }
  reset(mark: number): void {
    this.list.length = mark;
    this.run = [];
  }
  done(): (string | Piece)[] {
    this.flush();
    return this.list;
  }
  private flush(): void {
    if (this.run.length === 0) return;
    this.list.push(this.run.join(""));
    this.run = [];
  }
}

/** A path is names and indexes; anything else in it is JSON.stringify's to write. */
export function pathJson(path: readonly unknown[]): string {
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
export function stringJson(value: string): string {
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
export const keyJson = stringJson;

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
    // A function or symbol is left out today, but a toJSON given it later would be written.
    if (typeof inner === "bigint" || typeof inner === "function" || typeof inner === "symbol")
      return false;
  }
  return true;
}
