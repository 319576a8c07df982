import type { GraphQLError } from "graphql";
import { helperAlias } from "./rewrite.ts";

type Row = Record<string, unknown>;

/**
 * Decisions on objects of conditional types, remembered by the values their conditions read: a
 * decision reads nothing else of the object (the judge shows CASL only those fields), so fifty
 * people with the same flags are judged once, not fifty times. One per judge key (judge.ts),
 * bounded: past the bound the oldest values are forgotten and judged again when met.
 */
export interface VerdictMemo {
  /** Each field conditions read on `type`, with the helper alias the rewrite fetched it under. */
  viewFields(type: string): readonly (readonly [field: string, alias: string])[];
  /**
   * The values an object's conditions read, as a key no other values share; undefined when one
   * is not a plain value (an object, a list, -0), and the object is then judged on its own.
   */
  keyOf(type: string, inEnquiry: boolean, row: Row): string | undefined;
  /** Field name to its verdict (null: may be seen) for objects with these values. */
  verdicts(key: string): Map<string, GraphQLError | null>;
  /** Whether such an object is concealed (null: it is not); undefined until decided. */
  concealment(key: string): { field: string; rule: string } | null | undefined;
  rememberConcealment(key: string, hidden: { field: string; rule: string } | null): void;
}

const MAX_KEYS = 2048;

function bounded<V>(map: Map<string, V>, key: string, value: V) {
  if (map.size >= MAX_KEYS) map.delete(map.keys().next().value as string);
  map.set(key, value);
}

export function createVerdictMemo(conditionFields: (type: string) => readonly string[]) {
  const fieldsOf = new Map<string, readonly (readonly [string, string])[]>();
  const verdicts = new Map<string, Map<string, GraphQLError | null>>();
  const concealed = new Map<string, { field: string; rule: string } | null>();
  const memo: VerdictMemo = {
    viewFields(type) {
      let fields = fieldsOf.get(type);
      if (!fields) {
        fields = conditionFields(type).map((f) => [f, helperAlias(type, f)] as const);
        fieldsOf.set(type, fields);
      }
      return fields;
    },
    keyOf(type, inEnquiry, row) {
      let key = `${type}|${inEnquiry ? 1 : 0}`;
      for (const [, alias] of memo.viewFields(type)) {
        const value = row[alias];
        switch (typeof value) {
          case "undefined":
            key += ",u";
            break;
          case "boolean":
            key += value ? ",t" : ",f";
            break;
          case "number":
            if (Object.is(value, -0)) return undefined;
            key += `,d${value}`;
            break;
          case "string":
            key += `,${JSON.stringify(value)}`;
            break;
          default:
            if (value !== null) return undefined;
            key += ",n";
        }
      }
      return key;
    },
    verdicts(key) {
      let row = verdicts.get(key);
      if (!row) {
        row = new Map();
        bounded(verdicts, key, row);
      }
      return row;
    },
    concealment: (key) => concealed.get(key),
    rememberConcealment: (key, hidden) => bounded(concealed, key, hidden),
  };
  return memo;
}
