/**
 * The shortest written reason the gateway accepts in X-MASH-Break-Glass; it refuses shorter ones
 * with 400 (gateway/src/pipeline/use-purpose.ts checks what arrives).
 */
export const MIN_BREAK_GLASS_REASON = 20;

// Typographic punctuation that browsers' text inputs and phones like to produce; HTTP header
// values are bytes, so turn it into the plain characters a person would have meant. Line breaks
// from a textarea become spaces: a header value cannot carry them.
const PLAIN: ReadonlyArray<[RegExp, string]> = [
  [/[\u2018\u2019\u201b\u2032]/g, "'"],
  [/[\u201c\u201d\u201f\u2033]/g, '"'],
  [/[\u2010-\u2015\u2212]/g, "-"],
  [/\u2026/g, "..."],
  [/\s+/g, " "],
];

export type BreakGlassHeader =
  | { readonly send: true; readonly value: string }
  | { readonly send: false; readonly problem?: string };

/**
 * What, if anything, goes in X-MASH-Break-Glass for a reason as typed: the plain, trimmed value
 * once it is long enough; nothing while it is too short; a problem naming the characters an HTTP
 * header cannot carry.
 */
export function breakGlassHeader(reason: string): BreakGlassHeader {
  let value = reason;
  for (const [pattern, plain] of PLAIN) value = value.replace(pattern, plain);
  value = value.trim();
  if (value.length < MIN_BREAK_GLASS_REASON) return { send: false };
  // Latin-1 is all an HTTP header value can carry; fetch would throw on anything else.
  const unsendable = [...value].filter((char) => (char.codePointAt(0) ?? 0) > 0xff);
  if (unsendable.length > 0) {
    return { send: false, problem: `Remove ${[...new Set(unsendable)].join(" ")} to send it` };
  }
  return { send: true, value };
}
