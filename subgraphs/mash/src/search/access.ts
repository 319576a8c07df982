import { badUserInput, type CallerContext, type SearchAccess } from "@mash/kit";
import type { SearchCriteria } from "./score.ts";

/** The arguments of searchSubjects that match on what a person's record holds. */
export type SearchArgument = keyof SearchCriteria;
export const SEARCH_ARGUMENTS: readonly SearchArgument[] = [
  "name",
  "dateOfBirth",
  "nhsNumber",
  "postcode",
];

/** The field whose arguments the gateway's `search` claim governs (policies/mash.yaml). */
export const SEARCH_FIELD = "Query.searchSubjects";

/** For the hub itself (its own suites, the search bench): every argument matches everyone. */
export const UNRESTRICTED: SearchAccess = {
  fields: {
    [SEARCH_FIELD]: Object.fromEntries(
      SEARCH_ARGUMENTS.map((a) => [
        a,
        {
          outside: { flagged: true, unflagged: true },
          linked: { flagged: true, unflagged: true },
        },
      ]),
    ),
  },
  linked: [],
};

/** Fail closed: a caller the gateway told nothing of whom it may match matches no one. */
const NOTHING: SearchAccess = { fields: {}, linked: [] };

export const accessOf = (caller: CallerContext): SearchAccess => caller.search ?? NOTHING;

/** Who a person is to a search, from what the search may know before reading them. */
export interface Profile {
  linked: boolean;
  flagged: boolean;
}

/** The arguments given, resolved against the access: which may match a person of each profile. */
export interface Reach {
  given: readonly SearchArgument[];
  /**
   * The given arguments this search may match someone on: the score's measure for everyone, so
   * that one who could not be matched on one of them ranks below one who was.
   */
  counted: readonly SearchArgument[];
  linked: ReadonlySet<string>;
  allowed(profile: Profile): readonly SearchArgument[];
}

const spoken: Record<SearchArgument, string> = {
  name: "a name",
  dateOfBirth: "a date of birth",
  nhsNumber: "an NHS number",
  postcode: "a postcode",
};

const list = (words: readonly string[], last: string) =>
  words.length <= 1
    ? (words[0] ?? "")
    : `${words.slice(0, -1).join(", ")} ${last} ${words[words.length - 1]}`;

/**
 * Whom each given argument may match, by the gateway's table; an argument the table does not
 * name matches no one. A search that can match nobody on what it was given (outside an enquiry
 * that links people) is refused, naming the arguments, as a trace service refuses a search on a
 * postcode or a number alone: what it says depends on the request, never on the records.
 */
export function reachOf(access: SearchAccess, criteria: SearchCriteria): Reach {
  const table = Object.hasOwn(access.fields, SEARCH_FIELD) ? access.fields[SEARCH_FIELD] : {};
  const entry = (a: SearchArgument) => (table && Object.hasOwn(table, a) ? table[a] : undefined);
  const given = SEARCH_ARGUMENTS.filter((a) => criteria[a] !== undefined);
  const linked = new Set(access.linked);
  const allows = (a: SearchArgument, p: Profile) => {
    const reach = entry(a)?.[p.linked ? "linked" : "outside"];
    return (p.flagged ? reach?.flagged : reach?.unflagged) === true;
  };
  const memo = new Map<string, SearchArgument[]>();
  const allowed = (p: Profile) => {
    const key = `${p.linked ? 1 : 0}${p.flagged ? 1 : 0}`;
    let args = memo.get(key);
    if (!args) {
      // A linked profile exists only for the people the gateway named.
      args = p.linked && linked.size === 0 ? [] : given.filter((a) => allows(a, p));
      memo.set(key, args);
    }
    return args;
  };

  const outside = allowed({ linked: false, flagged: false });
  const inEnquiry = [
    ...allowed({ linked: true, flagged: false }),
    ...allowed({ linked: true, flagged: true }),
  ];
  if (outside.length === 0 && inEnquiry.length === 0) {
    const everywhere = (p: Profile) => SEARCH_ARGUMENTS.filter((a) => allows(a, p));
    const anyone = everywhere({ linked: false, flagged: false });
    const inAnEnquiry = given.filter(
      (a) =>
        allows(a, { linked: true, flagged: false }) || allows(a, { linked: true, flagged: true }),
    );
    const names = list(given, "and");
    const giveToo = anyone.length
      ? `give ${list(
          anyone.map((a) => spoken[a]),
          "or",
        )} too`
      : "state that enquiry (X-MASH-Enquiry)";
    throw badUserInput(
      inAnEnquiry.length === given.length
        ? `${names} search only people in an enquiry your agency takes part in: ${giveToo}.`
        : `The sharing agreement lets your role search by none of ${names}${anyone.length ? `: ${giveToo}` : ""}.`,
      given[0],
    );
  }
  const counted = given.filter(
    (a) =>
      outside.includes(a) ||
      inEnquiry.includes(a) ||
      allowed({ linked: false, flagged: true }).includes(a),
  );
  return { given, counted, linked, allowed };
}
