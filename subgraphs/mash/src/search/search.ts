import { badUserInput, isValidNhsNumber, type Store } from "@mash/kit";
import { sql } from "kysely";
import { type MashDB, type SubjectView, toSubject } from "../store.ts";
import { queryKeys } from "./keys.ts";
import { type FieldMatch, type SearchCriteria, scoreCandidate } from "./score.ts";
import { nameTokens, normalizeNhsNumber } from "./text.ts";

export interface SubjectMatch {
  score: number;
  subject: SubjectView;
  matches: FieldMatch[];
}

/** Below this a hit shares too little with the query to be worth a practitioner's time. */
const MIN_SCORE = 0.4;
/** Candidates scored per search: enough that the right person is among them at 100,000. */
const CANDIDATES = 400;

function validate(
  args: SearchCriteria & { first?: number | null },
): SearchCriteria & { first: number } {
  const criteria: SearchCriteria = {};
  if (args.name?.trim()) {
    if (args.name.length > 200) throw badUserInput("name is longer than 200 characters.", "name");
    if (nameTokens(args.name).length === 0) {
      throw badUserInput(`name "${args.name}" has no letters to search by.`, "name");
    }
    criteria.name = args.name.trim();
  }
  if (args.dateOfBirth) criteria.dateOfBirth = args.dateOfBirth;
  if (args.nhsNumber?.trim()) {
    const nhs = normalizeNhsNumber(args.nhsNumber);
    if (!isValidNhsNumber(nhs)) {
      throw badUserInput(
        `nhsNumber "${args.nhsNumber}" is not a valid NHS number (10 digits with a modulus-11 check digit).`,
        "nhsNumber",
      );
    }
    criteria.nhsNumber = nhs;
  }
  if (args.postcode?.trim()) {
    if (!/^[A-Za-z0-9 ]{2,10}$/.test(args.postcode.trim())) {
      throw badUserInput(`postcode "${args.postcode}" is not a UK postcode.`, "postcode");
    }
    criteria.postcode = args.postcode.trim();
  }
  if (Object.keys(criteria).length === 0) {
    throw badUserInput(
      "Give at least one of name, dateOfBirth, nhsNumber or postcode to search by.",
    );
  }
  const first = args.first ?? 10;
  if (!Number.isInteger(first) || first < 1 || first > 100) {
    throw badUserInput(`first must be between 1 and 100; got ${first}.`, "first");
  }
  return { ...criteria, first };
}

/**
 * Finds candidates by index (shared search keys, or the NHS number), then scores them in memory:
 * the database narrows 100,000 people to a few hundred, the scorer ranks those.
 */
export async function searchSubjects(
  store: Store<MashDB>,
  args: SearchCriteria & { first?: number | null },
): Promise<SubjectMatch[]> {
  const { first, ...criteria } = validate(args);
  const { db } = store;
  const ids = new Set<string>();

  const keys = queryKeys(criteria);
  if (keys.length > 0) {
    const rows = await db
      .selectFrom("search_keys")
      .where("key", "in", keys)
      .groupBy("subject_id")
      .select(["subject_id", sql<number>`sum(weight)`.as("weight")])
      .orderBy("weight", "desc")
      .orderBy("subject_id")
      .limit(CANDIDATES)
      .execute();
    for (const row of rows) ids.add(row.subject_id);
  }
  const byNhs = criteria.nhsNumber
    ? db.selectFrom("subjects").where("nhs_number", "=", criteria.nhsNumber).selectAll()
    : null;
  const rows = await (ids.size > 0
    ? db
        .selectFrom("subjects")
        .where("id", "in", [...ids])
        .selectAll()
        .$call((q) => (byNhs ? q.union(byNhs) : q))
        .execute()
    : byNhs
      ? byNhs.execute()
      : Promise.resolve([]));

  const seen = new Set<string>();
  const matches: SubjectMatch[] = [];
  for (const row of rows) {
    if (seen.has(row.id)) continue;
    seen.add(row.id);
    const scored = scoreCandidate(criteria, {
      given: row.given_name,
      family: row.family_name,
      dateOfBirth: row.date_of_birth,
      nhsNumber: row.nhs_number,
      postcode: row.postcode,
    });
    if (scored.score >= MIN_SCORE) matches.push({ ...scored, subject: toSubject(row) });
  }
  const nhsFirst = (m: SubjectMatch) => (m.matches.some((f) => f.field === "NHS_NUMBER") ? 1 : 0);
  matches.sort(
    (a, b) =>
      nhsFirst(b) - nhsFirst(a) || b.score - a.score || a.subject.id.localeCompare(b.subject.id),
  );
  return matches.slice(0, first);
}
