import { GraphQLError, GraphQLScalarType, Kind } from "graphql";

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isCalendarDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

function parseDate(value: unknown): string {
  if (typeof value !== "string" || !isCalendarDate(value)) {
    throw new GraphQLError(
      `Date must be a calendar date written YYYY-MM-DD; got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

/** Whole seconds in UTC, the form the contract's fixtures use. */
export function toDateTime(value: string | Date | number): string {
  return new Date(value).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function parseDateTime(value: unknown): string {
  if (
    typeof value !== "string" ||
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) ||
    Number.isNaN(Date.parse(value))
  ) {
    throw new GraphQLError(
      `DateTime must be ISO 8601 with a time zone, such as 2026-11-20T09:15:00Z; got ${JSON.stringify(value)}.`,
    );
  }
  return toDateTime(value);
}

export const DateScalar = new GraphQLScalarType({
  name: "Date",
  description: "A calendar date, ISO 8601 (YYYY-MM-DD).",
  serialize: (value) => parseDate(value),
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : undefined),
});

export const DateTimeScalar = new GraphQLScalarType({
  name: "DateTime",
  description: "An instant, ISO 8601 in UTC to the second (2026-11-20T09:15:00Z).",
  serialize: (value) => toDateTime(value as string),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});
