import { nameTokens, normalizePostcode, phoneticKey } from "./text.ts";

export interface KeyedSubject {
  given: string;
  family: string;
  dateOfBirth: string | null;
  postcode: string | null;
}

export interface SearchKey {
  key: string;
  weight: number;
}

// A key's weight says how much sharing it suggests the same person: an exact name token or a
// date of birth more than a sound-alike, a sound-alike more than a three-letter prefix.
const WEIGHT = { token: 3, date: 3, phonetic: 2, postcode: 2, prefix: 1 } as const;

function tokenKeys(token: string): SearchKey[] {
  const keys: SearchKey[] = [{ key: `n:${token}`, weight: WEIGHT.token }];
  const sound = phoneticKey(token);
  if (sound) keys.push({ key: `s:${sound}`, weight: WEIGHT.phonetic });
  if (token.length >= 3) keys.push({ key: `x:${token.slice(0, 3)}`, weight: WEIGHT.prefix });
  return keys;
}

function unique(keys: SearchKey[]): SearchKey[] {
  const best = new Map<string, number>();
  for (const k of keys) best.set(k.key, Math.max(best.get(k.key) ?? 0, k.weight));
  return [...best].map(([key, weight]) => ({ key, weight }));
}

/** The keys a subject is filed under. Name keys ignore which part of the name a token is from. */
export function subjectKeys(subject: KeyedSubject): SearchKey[] {
  const keys = nameTokens(`${subject.given} ${subject.family}`).flatMap(tokenKeys);
  if (subject.dateOfBirth) keys.push({ key: `d:${subject.dateOfBirth}`, weight: WEIGHT.date });
  if (subject.postcode) {
    keys.push({ key: `c:${normalizePostcode(subject.postcode)}`, weight: WEIGHT.postcode });
  }
  return unique(keys);
}

/** The keys to look up for a query: the same keys, so a misspelt or partial token still meets. */
export function queryKeys(query: {
  name?: string;
  dateOfBirth?: string;
  postcode?: string;
}): string[] {
  const keys = nameTokens(query.name ?? "").flatMap((token) => tokenKeys(token).map((k) => k.key));
  if (query.dateOfBirth) keys.push(`d:${query.dateOfBirth}`);
  if (query.postcode) keys.push(`c:${normalizePostcode(query.postcode)}`);
  return [...new Set(keys)];
}
