/** Lower-case letter tokens: accents folded, apostrophes dropped (O'Brien = obrien), hyphens split. */
export function nameTokens(text: string): string[] {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/['’`]/g, "")
    .split(/[^a-z]+/)
    .filter((t) => t.length > 0);
}

export const normalizePostcode = (postcode: string) => postcode.toUpperCase().replace(/\s+/g, "");
export const outwardCode = (postcode: string) =>
  postcode.toUpperCase().trim().split(/\s+/)[0] ?? "";
export const normalizeNhsNumber = (nhs: string) => nhs.replace(/[\s-]/g, "");

/**
 * A sound-alike key: what remains of a name once spelling choices are removed. Close to a
 * simplified Metaphone: Doe and Dough, Smith and Smyth, Thompson and Thomson share one. Vowels
 * count only at the start, and all starting vowels are one, so Amelia and Emelia agree too.
 */
export function phoneticKey(token: string): string {
  let s = token.toLowerCase().replace(/[^a-z]/g, "");
  if (!s) return "";
  s = s
    .replace(/^kn/, "n")
    .replace(/^wr/, "r")
    .replace(/^ps/, "s")
    .replace(/^mac/, "mc")
    .replace(/gh(?![aeiou])/g, "")
    .replace(/ph/g, "f")
    .replace(/ck/g, "k")
    .replace(/th/g, "t")
    .replace(/sch/g, "sk")
    .replace(/ch/g, "x")
    .replace(/sh/g, "x")
    .replace(/c(?=[eiy])/g, "s")
    .replace(/[cq]/g, "k")
    .replace(/x/g, "ks")
    .replace(/z/g, "s")
    .replace(/v/g, "f")
    .replace(/dg/g, "j")
    .replace(/mp(?=s)/g, "m");
  const first = /[aeiouy]/.test(s[0] ?? "") ? "a" : (s[0] as string);
  const rest = s
    .slice(1)
    .replace(/[aeiouyhw]/g, "")
    .replace(/(.)\1+/g, "$1");
  return `${first}${rest}`.replace(/(.)\1+/g, "$1");
}

/** Jaro-Winkler similarity, 0 to 1: forgiving of typos near the end of a name. */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  if (!a.length || !b.length) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatched = new Array<boolean>(a.length).fill(false);
  const bMatched = new Array<boolean>(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    const from = Math.max(0, i - window);
    const to = Math.min(b.length - 1, i + window);
    for (let j = from; j <= to; j++) {
      if (bMatched[j] || a[i] !== b[j]) continue;
      aMatched[i] = true;
      bMatched[j] = true;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < a.length; i++) {
    if (!aMatched[i]) continue;
    while (!bMatched[k]) k++;
    if (a[i] !== b[k]) transpositions++;
    k++;
  }
  const m = matches;
  const jaro = (m / a.length + m / b.length + (m - transpositions / 2) / m) / 3;
  let prefix = 0;
  while (prefix < 4 && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}
