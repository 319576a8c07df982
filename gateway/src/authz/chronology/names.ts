/** The spec our subgraphs `@link` to declare what a chronology is made of. */
export const CHRONOLOGY_SPEC = "https://specs.mash-gateway.example/chronology";
/** On a field: the date that places its object in a chronology. */
export const DATED_DIRECTIVE = "dated";
/** On an object type: the type (the person) that gets a chronology. */
export const ROOT_DIRECTIVE = "chronology";

/** What the gateway adds to the API schema: the field, its entry type and the items' union. */
export const CHRONOLOGY_FIELD = "chronology";
export const AGENCIES_ARGUMENT = "agencies";
export const ENTRY_TYPE = "ChronologyEntry";
export const ITEM_UNION = "ChronologyItem";

/**
 * Response keys of the expanded document. A client alias may not start with this (the expansion
 * refuses it), so the gateway's keys never collide with the client's.
 */
export const RESERVED_PREFIX = "__chronology";
/** Stands where the client's chronology field stood: `__chronology_<n>: __typename`. */
export const markerAlias = (n: number) => `${RESERVED_PREFIX}_${n}`;
/** The n-th chronology's i-th path: `__chronology_<n>_<i>: <first field of the path>`. */
export const pathAlias = (n: number, i: number) => `${RESERVED_PREFIX}_${n}_${i}`;
/** The date field inside each fetched item. */
export const DATE_ALIAS = `${RESERVED_PREFIX}_at`;

const ALIAS = /^__chronology_(\d+)(?:_(\d+))?$/;
/** Which expansion (and which of its paths) a response key belongs to; undefined: the client's. */
export function parseAlias(key: string): { n: number; path?: number } | undefined {
  const match = ALIAS.exec(key);
  if (!match) return undefined;
  return match[2] === undefined
    ? { n: Number(match[1]) }
    : { n: Number(match[1]), path: Number(match[2]) };
}
