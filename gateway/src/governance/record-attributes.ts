import {
  buildASTSchema,
  GraphQLEnumType,
  type GraphQLSchema,
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  parse,
} from "graphql";
import type { PolicySet } from "../authz/policy/types.ts";

/** What a value of one condition field may be: the GraphQL type it has in the supergraph. */
export interface AttributeKind {
  field: string;
  /** "Boolean", "Int", "Float", "String", "ID", a custom scalar's or an enum's name. */
  kind: string;
  list: boolean;
  /** Every value an enum or Boolean may take; empty for any other kind. */
  values: string[];
}

/** The supergraph read for hypothetical records: field types and the root operation types. */
export interface RecordSchema {
  /** Query, Mutation, Subscription: their fields hang under no person. */
  roots: ReadonlySet<string>;
  kindOf(type: string, field: string): AttributeKind | undefined;
  isObjectType(type: string): boolean;
}

let cached: { sdl: string; schema: RecordSchema } | undefined;

/** Built once per supergraph text: the governance API and policies:test each use one. */
export function recordSchemaOf(supergraphSdl: string): RecordSchema {
  if (cached?.sdl === supergraphSdl) return cached.schema;
  const schema: GraphQLSchema = buildASTSchema(parse(supergraphSdl), { assumeValidSDL: true });
  const roots = new Set(
    [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((t) =>
      t ? [t.name] : [],
    ),
  );
  const result: RecordSchema = {
    roots,
    isObjectType: (type) => isObjectType(schema.getType(type)),
    kindOf(type, field) {
      const object = schema.getType(type);
      const def = isObjectType(object) ? object.getFields()[field] : undefined;
      if (!def) return undefined;
      const named = getNamedType(def.type);
      const values =
        named instanceof GraphQLEnumType
          ? named.getValues().map((v) => v.name)
          : named.name === "Boolean"
            ? ["true", "false"]
            : [];
      return { field, kind: named.name, list: isListType(getNullableType(def.type)), values };
    },
  };
  cached = { sdl: supergraphSdl, schema: result };
  return result;
}

/** The fields any rule reads in its conditions on `type`, with their kinds, in name order. */
export function conditionAttributes(
  policy: PolicySet,
  schema: RecordSchema,
  type: string,
): AttributeKind[] {
  return [...(policy.conditionFields.get(type) ?? [])]
    .sort()
    .flatMap((field) => schema.kindOf(type, field) ?? []);
}

const NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

/** Why a value (as YAML or JSON gives it) cannot be held by a field of this kind; undefined if it can. */
export function misfit(kind: AttributeKind, value: unknown): string | undefined {
  if (value === null) return undefined;
  if (kind.list) {
    if (!Array.isArray(value)) return `${kind.field} is a list of ${kind.kind}: give a list`;
    for (const item of value) {
      const bad = misfit({ ...kind, list: false }, item);
      if (bad) return bad;
    }
    return undefined;
  }
  const fits =
    kind.kind === "Boolean"
      ? typeof value === "boolean"
      : kind.kind === "Int"
        ? Number.isSafeInteger(value)
        : kind.kind === "Float"
          ? typeof value === "number" && Number.isFinite(value)
          : kind.values.length > 0
            ? typeof value === "string" && kind.values.includes(value)
            : typeof value === "string";
  if (fits) return undefined;
  const choice = kind.values.length ? ` (one of ${kind.values.join(", ")})` : "";
  return `${JSON.stringify(value)} is not a ${kind.kind} value for ${kind.field}${choice}`;
}

/**
 * A value as an officer types it into a form ("C", "true", "42"; a list as JSON) read as the
 * field's kind. Throws with a message naming the field when it cannot be one.
 */
export function readAttribute(kind: AttributeKind, text: string | null): unknown {
  if (text === null) return null;
  let value: unknown = text;
  if (kind.list) {
    try {
      value = JSON.parse(text);
    } catch {
      throw new Error(`${kind.field} is a list of ${kind.kind}: give a JSON list such as ["A"]`);
    }
  } else if (kind.kind === "Boolean" && (text === "true" || text === "false")) {
    value = text === "true";
  } else if ((kind.kind === "Int" || kind.kind === "Float") && NUMBER.test(text.trim())) {
    value = Number(text.trim());
  }
  const bad = misfit(kind, value);
  if (bad) throw new Error(bad);
  return value;
}

/** A value as the API shows it: the text readAttribute reads back to the same value. */
export function showAttribute(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === "string" ? value : JSON.stringify(value);
}
