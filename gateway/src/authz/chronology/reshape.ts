import { type ExecutionResult, GraphQLError } from "graphql";
import type { ChronologyInstance, Expanded } from "./expand.ts";
import { DATE_ALIAS, parseAlias, pathAlias } from "./names.ts";

type Row = Record<string, unknown>;
type Path = readonly (string | number)[];

/** One item fetched for an instance, where it came from, and where it goes. */
interface Placed {
  at: string;
  time: number;
  agency: string;
  pathIndex: number;
  order: number;
  data: Row;
  /** Its place in the fetched answer, from the path's alias on. */
  from: Path;
  index?: number;
}

/** One instance's items at one object of the answer. */
interface Built {
  instance: ChronologyInstance;
  /** Where the object is. */
  at: Path;
  /** By the key of their place in the fetched answer: a shown item has its new index. */
  items: Map<string, Placed>;
}

const keyOf = (path: Path) => JSON.stringify(path);

/** Newest first; ties by agency, by path, by what the item shows, then as fetched. */
const newestFirst = (a: Placed, b: Placed): number =>
  b.time - a.time ||
  (a.agency < b.agency ? -1 : a.agency > b.agency ? 1 : 0) ||
  a.pathIndex - b.pathIndex ||
  compareText(JSON.stringify(a.data), JSON.stringify(b.data)) ||
  a.order - b.order;
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const comparePaths = (a: Path, b: Path): number => {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as string | number;
    const y = b[i] as string | number;
    if (x === y) continue;
    return typeof x === "number" && typeof y === "number"
      ? x - y
      : compareText(String(x), String(y));
  }
  return a.length - b.length;
};

/** Every item under one path's alias: lists flattened, nulls (withheld parts) skipped. */
function itemsOf(
  value: unknown,
  rest: readonly string[],
  from: (string | number)[],
  out: Placed[],
  base: Omit<Placed, "at" | "time" | "data" | "from" | "order">,
) {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      itemsOf(v, rest, [...from, i], out, base);
    });
    return;
  }
  if (typeof value !== "object") return;
  const row = value as Row;
  if (rest.length > 0) {
    itemsOf(row[rest[0] as string], rest.slice(1), [...from, rest[0] as string], out, base);
    return;
  }
  const at = row[DATE_ALIAS];
  const time = typeof at === "string" ? Date.parse(at) : Number.NaN;
  out.push({
    ...base,
    at: typeof at === "string" ? at : "",
    time,
    data: row,
    from,
    order: out.length,
  });
}

/**
 * The judged answer to an expanded document, as the client's document asks for it: each marker
 * becomes the chronology's entries, built from its paths' items (an item without a date it may
 * see is left out: it cannot be placed), the paths' aliases dropped. Errors under a shown item
 * move with it; every other error of a path (a withheld date, part or section, an agency not
 * answering) is said once per owner and field at the chronology itself: how many items it held
 * back is not told.
 */
export function reshapeChronology(expanded: Expanded, result: ExecutionResult): ExecutionResult {
  const byN = new Map(expanded.instances.map((i) => [i.n, i]));
  const built = new Map<string, Built>();

  const rebuild = (row: Row, at: Path): Row => {
    const out: Row = {};
    for (const [key, value] of Object.entries(row)) {
      const alias = parseAlias(key);
      if (!alias) {
        out[key] = reshapeValue(value, [...at, key]);
        continue;
      }
      if (alias.path !== undefined) continue;
      const instance = byN.get(alias.n);
      if (!instance) continue;
      const entries = entriesOf(instance, row, at);
      const existing = out[instance.responseKey];
      out[instance.responseKey] = Array.isArray(existing) ? mergeLists(existing, entries) : entries;
    }
    return out;
  };
  const reshapeValue = (value: unknown, at: Path): unknown => {
    if (Array.isArray(value)) return value.map((v, i) => reshapeValue(v, [...at, i]));
    if (value && typeof value === "object") return rebuild(value as Row, at);
    return value;
  };

  const entriesOf = (instance: ChronologyInstance, row: Row, at: Path): Row[] => {
    const placed: Placed[] = [];
    instance.paths.forEach((path, pathIndex) => {
      const alias = pathAlias(instance.n, pathIndex);
      if (!(alias in row)) return;
      const found: Placed[] = [];
      itemsOf(
        row[alias],
        path.fields.slice(1).map((f) => f.name),
        [alias],
        found,
        { agency: path.agency, pathIndex },
      );
      placed.push(...found);
    });
    const items = new Map(placed.map((p) => [keyOf(p.from), p]));
    built.set(keyOf([...at, instance.n]), { instance, at, items });
    const shown = placed.filter((p) => !Number.isNaN(p.time)).sort(newestFirst);
    return shown.map((p, index) => {
      p.index = index;
      const entry: Row = {};
      for (const { key, field } of instance.entryKeys) {
        if (field === "at") entry[key] = p.at;
        else if (field === "agency") entry[key] = p.agency;
        else if (field === "__typename") entry[key] = "ChronologyEntry";
        else {
          const { [DATE_ALIAS]: _date, ...item } = p.data;
          entry[key] = rebuild(item, [...at, instance.responseKey, index, key]);
        }
      }
      return entry;
    });
  };

  const data = result.data == null ? result.data : rebuild(result.data as Row, []);
  const errors = moveErrors(result.errors ?? [], built);
  const { errors: _fetched, ...rest } = result;
  return errors.length ? { ...rest, data, errors } : { ...rest, data };
}

/** The same instance asked for twice under one key (in two fragments): one list of both. */
function mergeLists(a: unknown[], b: unknown[]): unknown[] {
  return a.map((entry, i) => merge(entry, b[i]));
}
function merge(a: unknown, b: unknown): unknown {
  if (Array.isArray(a) && Array.isArray(b)) return mergeLists(a, b);
  if (a && b && typeof a === "object" && typeof b === "object") {
    const out: Row = { ...(a as Row) };
    for (const [k, v] of Object.entries(b as Row)) out[k] = k in out ? merge(out[k], v) : v;
    return out;
  }
  return b ?? a;
}

function moveErrors(errors: readonly GraphQLError[], built: Map<string, Built>): GraphQLError[] {
  const kept: GraphQLError[] = [];
  const once = new Map<string, GraphQLError>();
  const moved: { path: Path; error: GraphQLError }[] = [];
  for (const error of errors) {
    const path = error.path ?? [];
    const j = path.findIndex((s) => typeof s === "string" && parseAlias(s)?.path !== undefined);
    const alias = j < 0 ? undefined : parseAlias(path[j] as string);
    const at = path.slice(0, Math.max(j, 0));
    const b = alias && built.get(keyOf([...at, alias.n]));
    if (!alias || !b) {
      kept.push(error);
      continue;
    }
    const tail = path.slice(j);
    // The longest start of the error's path that is an item's place, if any is.
    let item: Placed | undefined;
    let depth = tail.length;
    for (; depth > 0; depth--) {
      item = b.items.get(keyOf(tail.slice(0, depth)));
      if (item) break;
    }
    const chronology = [...at, b.instance.responseKey];
    if (item?.index !== undefined) {
      const itemKey = b.instance.entryKeys.find((e) => e.field === "item")?.key;
      if (itemKey === undefined) continue;
      const newPath = [...chronology, item.index, itemKey, ...tail.slice(depth)];
      moved.push({ path: newPath, error: at_(error, newPath) });
      continue;
    }
    const rest = item ? tail.slice(depth) : [];
    // Inside an item left out, only its date's error is told (once): the rest is of an item
    // that is not there.
    if (item && !(rest.length === 1 && rest[0] === DATE_ALIAS)) continue;
    const pathDef = b.instance.paths[alias.path as number];
    const last = [...tail].reverse().find((s) => typeof s === "string") as string;
    const name = item ? "date" : last === tail[0] ? pathDef?.fields[0]?.name : last;
    const coordinate = item
      ? `${pathDef?.type}.${pathDef?.dateField}`
      : `${pathDef?.fields.find((f) => f.name === name)?.parentType}.${name}`;
    const ext = error.extensions ?? {};
    const owner = String(ext.owner ?? ext.agency ?? "");
    // Per rule too: each reason and whom to ask is told, still once and without a count.
    const key = `${keyOf(chronology)}|${String(ext.code)}|${owner}|${coordinate}|${String(ext.rule ?? "")}`;
    if (!once.has(key)) once.set(key, at_(error, chronology, b.instance));
  }
  const told = [...once.entries()].sort(([a], [b]) => compareText(a, b)).map(([, e]) => e);
  const shown = moved.sort((a, b) => comparePaths(a.path, b.path)).map((m) => m.error);
  return [...kept, ...told, ...shown];
}

/** The error at another path, as it was otherwise (located at the chronology when it is there). */
function at_(error: GraphQLError, path: Path, instance?: ChronologyInstance): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: instance ? instance.node : error.nodes,
    path,
    originalError: error.originalError,
    extensions: error.extensions,
  });
}
