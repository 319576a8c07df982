import { jaroWinkler, nameTokens, normalizePostcode, outwardCode, phoneticKey } from "./text.ts";

export interface SearchCriteria {
  name?: string;
  dateOfBirth?: string;
  nhsNumber?: string;
  postcode?: string;
}

export interface Candidate {
  given: string;
  family: string;
  dateOfBirth: string | null;
  nhsNumber: string | null;
  postcode: string | null;
}

export type SearchField = "NHS_NUMBER" | "NAME" | "DATE_OF_BIRTH" | "POSTCODE";
export interface FieldMatch {
  field: SearchField;
  quality: "EXACT" | "CLOSE";
}

export interface Scored {
  score: number;
  matches: FieldMatch[];
}

// How much each criterion counts toward the score when it was asked for. An NHS number is a
// unique identifier, so an exact one settles the match on its own.
const WEIGHTS = { name: 0.5, dateOfBirth: 0.3, postcode: 0.2, nhsNumber: 0.6 } as const;
const CLOSE = 0.75;

/** Below this, two name tokens are different names, not one misspelt. */
const TOKEN_FLOOR = 0.75;

function tokenSimilarity(token: string, other: string): number {
  let s = jaroWinkler(token, other);
  if (other.startsWith(token) && token.length >= 2 && token !== other) s = Math.max(s, 0.9);
  if (phoneticKey(token) === phoneticKey(other)) s = Math.max(s, 0.88);
  return s < TOKEN_FLOOR ? 0 : s;
}

/**
 * How alike two names are, 0 to 1, whatever the order of their parts. Each query token is paired
 * with a different candidate token, so "Doe Doe" does not match "Amelia Doe" twice.
 */
export function nameSimilarity(
  query: string,
  candidate: Candidate,
): { score: number; exact: boolean } {
  const q = nameTokens(query);
  const c = nameTokens(`${candidate.given} ${candidate.family}`);
  if (!q.length || !c.length) return { score: 0, exact: false };
  const used = new Set<number>();
  let total = 0;
  let allExact = true;
  let lastIndex = -1;
  let inOrder = true;
  for (const token of q) {
    let best = 0;
    let bestIndex = -1;
    c.forEach((other, index) => {
      if (used.has(index)) return;
      const s = tokenSimilarity(token, other);
      if (s > best) {
        best = s;
        bestIndex = index;
      }
    });
    if (bestIndex >= 0) used.add(bestIndex);
    if (best < 1) allExact = false;
    if (bestIndex >= 0 && bestIndex < lastIndex) inOrder = false;
    if (bestIndex >= 0) lastIndex = bestIndex;
    total += best;
  }
  // Swapped given and family names still match, a little below the same name in order.
  const score = (total / q.length) * (inOrder ? 1 : 0.97);
  return { score, exact: allExact && inOrder };
}

/** Dates of birth: exact, or the usual slips (day and month swapped, one digit wrong). */
export function dateSimilarity(query: string, candidate: string | null): number {
  if (!candidate) return 0;
  if (query === candidate) return 1;
  const [qy, qm, qd] = query.split("-");
  const [cy, cm, cd] = candidate.split("-");
  if (qy === cy && qm === cd && qd === cm) return 0.8;
  let differing = 0;
  for (let i = 0; i < query.length; i++) if (query[i] !== candidate[i]) differing++;
  if (differing === 1) return 0.7;
  if (qy === cy && qm === cm) return 0.4;
  return 0;
}

/**
 * `unread`: criteria given that may not be read of this candidate, though of others in the same
 * search: they count as asked and not matched, as a different value would, so that a person
 * whose value could be read and matched ranks above one whose value could not.
 */
export function scoreCandidate(
  criteria: SearchCriteria,
  candidate: Candidate,
  unread: readonly (keyof SearchCriteria)[] = [],
): Scored {
  const matches: FieldMatch[] = [];
  if (criteria.nhsNumber && criteria.nhsNumber === candidate.nhsNumber) {
    matches.push({ field: "NHS_NUMBER", quality: "EXACT" });
  }
  let weighted = 0;
  let weights = 0;
  if (criteria.name) {
    const { score, exact } = nameSimilarity(criteria.name, candidate);
    weighted += WEIGHTS.name * score;
    weights += WEIGHTS.name;
    if (score >= CLOSE) matches.push({ field: "NAME", quality: exact ? "EXACT" : "CLOSE" });
  }
  if (criteria.dateOfBirth) {
    const score = dateSimilarity(criteria.dateOfBirth, candidate.dateOfBirth);
    weighted += WEIGHTS.dateOfBirth * score;
    weights += WEIGHTS.dateOfBirth;
    if (score > 0.5)
      matches.push({ field: "DATE_OF_BIRTH", quality: score === 1 ? "EXACT" : "CLOSE" });
  }
  if (criteria.postcode) {
    const exact =
      candidate.postcode !== null &&
      normalizePostcode(criteria.postcode) === normalizePostcode(candidate.postcode);
    const near =
      candidate.postcode !== null &&
      outwardCode(criteria.postcode) === outwardCode(candidate.postcode);
    const score = exact ? 1 : near ? 0.4 : 0;
    weighted += WEIGHTS.postcode * score;
    weights += WEIGHTS.postcode;
    if (score > 0) matches.push({ field: "POSTCODE", quality: exact ? "EXACT" : "CLOSE" });
  }
  if (criteria.nhsNumber) {
    if (matches.some((m) => m.field === "NHS_NUMBER")) return { score: 1, matches };
    weights += WEIGHTS.nhsNumber;
  }
  for (const a of unread) if (criteria[a] === undefined) weights += WEIGHTS[a];
  const score = weights === 0 ? 0 : weighted / weights;
  return { score: Math.round(score * 1000) / 1000, matches };
}
