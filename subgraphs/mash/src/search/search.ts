import { badUserInput, fromFlag, isValidNhsNumber, type SearchAccess, type Store } from "@mash/kit";
import { sql } from "kysely";
import { type MashDB, type SubjectRow, type SubjectView, toSubject } from "../store.ts";
import { type Reach, reachOf, type SearchArgument, UNRESTRICTED } from "./access.ts";
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
 *
 * Search is a read: a person is found, ranked, scored and explained only on the arguments the
 * caller may read for them (`access`, from the gateway: by whether the stated enquiry links them
 * and whether they are sealed). The people of one such profile are looked up by the keys of
 * their own allowed arguments only, so no withheld value adds to anyone's weight, and scored on
 * those values alone (an argument the search may match others on, but not them, counts as not
 * matched): what a search returns, in what order and with what scores, is the same whatever the
 * withheld values are. The default is the hub's own (the bench, its suites): every argument for
 * everyone.
 */
export async function searchSubjects(
  store: Store<MashDB>,
  args: SearchCriteria & { first?: number | null },
  access: SearchAccess = UNRESTRICTED,
): Promise<SubjectMatch[]> {
  const { first, ...criteria } = validate(args);
  const reach = reachOf(access, criteria);
  const rows = await candidates(store, criteria, reach);

  const matches: SubjectMatch[] = [];
  for (const row of rows) {
    const profile = { linked: reach.linked.has(row.id), flagged: fromFlag(row.sealed) === true };
    const allowed = reach.allowed(profile);
    // Nothing the caller may read of this person was asked for: nothing to match them on.
    if (allowed.length === 0) continue;
    const unread = reach.counted.filter((a) => !allowed.includes(a));
    const scored = scoreCandidate(
      only(criteria, allowed),
      {
        given: row.given_name,
        family: row.family_name,
        dateOfBirth: row.date_of_birth,
        nhsNumber: row.nhs_number,
        postcode: row.postcode,
      },
      unread,
    );
    if (scored.score >= MIN_SCORE) matches.push({ ...scored, subject: toSubject(row) });
  }
  const nhsFirst = (m: SubjectMatch) => (m.matches.some((f) => f.field === "NHS_NUMBER") ? 1 : 0);
  matches.sort(
    (a, b) =>
      nhsFirst(b) - nhsFirst(a) || b.score - a.score || a.subject.id.localeCompare(b.subject.id),
  );
  return matches.slice(0, first);
}

const only = (criteria: SearchCriteria, allowed: readonly SearchArgument[]): SearchCriteria =>
  Object.fromEntries(allowed.map((a) => [a, criteria[a]]));

/**
 * The people to score, as disjoint groups that each match on the same arguments: the people the
 * stated enquiry links (few, known to the caller: all of them), and everyone else, split by their
 * flag only when the two may match on different arguments. Exported for its tests.
 */
export async function candidates(
  store: Store<MashDB>,
  criteria: SearchCriteria,
  reach: Reach,
): Promise<SubjectRow[]> {
  const { db } = store;
  const linked = [...reach.linked];
  const groups: { allowed: readonly SearchArgument[]; sealed?: 0 | 1 }[] = [];
  const unflagged = reach.allowed({ linked: false, flagged: false });
  const flagged = reach.allowed({ linked: false, flagged: true });
  if (same(unflagged, flagged)) groups.push({ allowed: unflagged });
  else groups.push({ allowed: unflagged, sealed: 0 }, { allowed: flagged, sealed: 1 });

  const ids = new Set<string>();
  const found: SubjectRow[] = [];
  for (const group of groups) {
    if (group.allowed.length === 0) continue;
    const keys = queryKeys(only(criteria, group.allowed));
    if (keys.length > 0) {
      const rows = await db
        .selectFrom("search_keys")
        .where("key", "in", keys)
        .$if(group.sealed !== undefined, (q) =>
          q.where(({ exists, selectFrom }) =>
            exists(
              selectFrom("subjects")
                .whereRef("subjects.id", "=", "search_keys.subject_id")
                .where("subjects.sealed", "=", group.sealed as 0 | 1)
                .select("subjects.id"),
            ),
          ),
        )
        .$if(linked.length > 0, (q) => q.where("subject_id", "not in", linked))
        .groupBy("subject_id")
        .select(["subject_id", sql<number>`sum(weight)`.as("weight")])
        .orderBy("weight", "desc")
        .orderBy("subject_id")
        .limit(CANDIDATES)
        .execute();
      for (const row of rows) ids.add(row.subject_id);
    }
    if (criteria.nhsNumber && group.allowed.includes("nhsNumber")) {
      const rows = await db
        .selectFrom("subjects")
        .where("nhs_number", "=", criteria.nhsNumber)
        .$if(group.sealed !== undefined, (q) => q.where("sealed", "=", group.sealed as 0 | 1))
        .$if(linked.length > 0, (q) => q.where("id", "not in", linked))
        .selectAll()
        .execute();
      found.push(...rows);
    }
  }
  const linkedMatch =
    reach.allowed({ linked: true, flagged: false }).length > 0 ||
    reach.allowed({ linked: true, flagged: true }).length > 0;
  if (linkedMatch) for (const id of linked) ids.add(id);
  for (const row of found) ids.delete(row.id);
  const rows =
    ids.size > 0
      ? await db
          .selectFrom("subjects")
          .where("id", "in", [...ids])
          .selectAll()
          .execute()
      : [];
  return [...found, ...rows];
}

const same = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);
