import { describe, expect, it } from "vitest";
import { RequestRefused } from "../errors/catalogue.ts";
import { firstErrorCode, replyFor, replyJson } from "./pipeline.ts";

/** What the record took before issue 14: the whole body parsed. */
function parsedWhole(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { errors?: { extensions?: { code?: unknown } }[] };
    const code = parsed.errors?.[0]?.extensions?.code;
    return typeof code === "string" ? code : undefined;
  } catch {
    return undefined;
  }
}

/** Apollo's own serialization: errors, then data, then extensions, and a newline. */
const apollo = (result: { errors?: unknown[]; data?: unknown; extensions?: unknown }) =>
  `${JSON.stringify({ errors: result.errors, data: result.data, extensions: result.extensions })}\n`;

const people = Array.from({ length: 400 }, (_, i) => ({
  id: `S-${1000 + i}`,
  name: `Person "${i}" {of} [the] \\list\\`,
  notes: i % 7 ? null : 'a note with "errors": [{ inside }] it',
}));

const withheld = (field: string) => ({
  // Brackets in strings that do not balance, and escaped quotes: the scan must skip strings.
  message: `Subject.${field} is withheld: rule "police-intelligence-sources {sealed ]}`,
  path: ["subjects", 3, field],
  extensions: { code: "WITHHELD", rule: "police-intelligence-sources", owner: "police" },
});

const cases: [string, string][] = [
  ["an answer without errors", apollo({ data: { subjects: people } })],
  [
    "an answer with withheld fields",
    apollo({ errors: [withheld("a"), withheld("b")], data: { subjects: people } }),
  ],
  [
    "errors before data, first without a code",
    apollo({ errors: [{ message: "no code {here}" }, withheld("c")], data: { subjects: people } }),
  ],
  ["a code that is not a string", apollo({ errors: [{ message: "x", extensions: { code: 7 } }] })],
  [
    "Apollo's own refusal (validation)",
    apollo({
      errors: [
        {
          message: 'Cannot query field "errors" on type "Query".',
          extensions: { code: "GRAPHQL_VALIDATION_FAILED" },
        },
      ],
    }),
  ],
  [
    "a refusal before GraphQL",
    replyFor(new RequestRefused("BAD_USER_INPUT", "ENQ-9 is not an enquiry.")).body as string,
  ],
  ["an empty errors list", apollo({ errors: [], data: { ok: true } })],
  ["errors that are not objects", JSON.stringify({ errors: ["BAD_USER_INPUT"] })],
  ["data aliased as errors", apollo({ data: { errors: [{ extensions: { code: "NOT_ONE" } }] } })],
  ["a string value errors", apollo({ data: { subjects: [{ name: "errors" }] } })],
  ["errors after data", JSON.stringify({ data: { subjects: people }, errors: [withheld("d")] })],
  [
    "errors after data, without data first",
    replyJson(503, { message: "m", errors: [withheld("e")] }).body as string,
  ],
  ["a truncated first error", apollo({ errors: [withheld("g")] }).slice(0, 40)],
  ["not JSON", "<!doctype html><title>GraphQL</title> errors"],
  ["the empty body", ""],
  ["JSON null", "null"],
  // Past the head read from a reply in bytes: a first error longer than it, and one that ends
  // just past it with a character of several bytes cut in two there.
  [
    "a first error longer than the head",
    apollo({ errors: [{ ...withheld("h"), message: "é".repeat(6000) }], data: { people } }),
  ],
  [
    "a first error ending just past the head",
    apollo({ errors: [{ ...withheld("i"), message: `a${"✓".repeat(2740)}` }], data: { people } }),
  ],
  [
    "a short first error, and the head cut inside a character of the data",
    apollo({ errors: [withheld("j")], data: { people, notes: `a${"✓".repeat(4000)}` } }),
  ],
];

describe("the first error code of a reply", () => {
  it.each(cases)("is what parsing the whole body gives: %s", (_name, body) => {
    expect(firstErrorCode({ status: 200, headers: {}, body })).toBe(parsedWhole(body));
  });

  it.each(cases)("is the same from the body's UTF-8 bytes: %s", (_name, body) => {
    const bytes = new Uint8Array(Buffer.from(body));
    expect(firstErrorCode({ status: 200, headers: {}, body: bytes })).toBe(parsedWhole(body));
    // A view into a larger buffer, as Buffer.allocUnsafe's pool gives.
    const pooled = Buffer.concat([Buffer.from("xx{"), Buffer.from(body)]).subarray(3);
    expect(firstErrorCode({ status: 200, headers: {}, body: pooled })).toBe(parsedWhole(body));
  });

  it("reads only the head of an answer whose errors come first, not its data", () => {
    const body = apollo({ errors: [withheld("a")], data: { subjects: people } });
    // The data cut off: parsed whole, this would be no JSON at all.
    const head = body.slice(0, body.indexOf('"data"') + 20);
    expect(parsedWhole(head)).toBeUndefined();
    expect(firstErrorCode({ status: 200, headers: {}, body: head })).toBe("WITHHELD");
  });
});
