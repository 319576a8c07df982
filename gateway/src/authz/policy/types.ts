/** What the policy files say, once loaded and checked against the supergraph. */

/**
 * Whom a practitioner refused one of the agency's fields should ask: carried, as this one frozen
 * object, on every withheld-field error the agency's data gives (`extensions.contact`).
 */
export interface AgencyContact {
  readonly agency: string;
  readonly name: string;
  readonly phone?: string;
  readonly email?: string;
}

export interface AgencyDef {
  name: string;
  title: string;
  subgraphs: string[];
  /** roles.yaml's `contact`; undefined where it names none (a `policies:init` draft). */
  contact: AgencyContact | undefined;
}

export interface RoleDef {
  name: string;
  agency: string | undefined;
  description: string;
  breakGlass: boolean;
  governance: boolean;
}

/** A condition on an object's fields, in CASL's MongoDB-like form. */
export type Conditions = Record<string, unknown>;

export interface RuleTarget {
  type: string;
  fields: string[];
}

export interface PolicyRule {
  id: string;
  description: string;
  /** The owning agency whose file holds the rule. */
  agency: string;
  file: string;
  line: number;
  effect: "allow" | "deny";
  /** Role names, groups expanded. */
  roles: string[];
  targets: RuleTarget[];
  requires: { enquiry: boolean; breakGlass: boolean };
  conditions: Conditions | undefined;
  /** The fields the conditions read: fetched for every object of the type, then stripped. */
  conditionFields: string[];
  reason: string | undefined;
  legalBasis: string;
}

/** One argument of a search, and the fields of the person it reads (as `arguments:` declares). */
export interface SearchArgument {
  name: string;
  /**
   * Every field the argument reads, from the person down ("Subject.address", "Address.postcode"),
   * the whole of an object it ends on included; empty for one that reads none (`first: none`).
   */
  reads: RuleTarget[];
}

/** A field whose arguments search people: each argument is a read of what it matches on. */
export interface SearchField {
  /** "Query.searchSubjects". */
  coordinate: string;
  /** The agency that owns the field, whose file declares it. */
  agency: string;
  file: string;
  line: number;
  arguments: SearchArgument[];
}

export interface PolicySet {
  /** Hash of every file's text: tells one loaded policy from another. */
  version: string;
  hub: string;
  /**
   * The person every field hangs under (its key decides "in enquiry"), and the flag on it that
   * makes any look at the person a notification to the owning agencies (CP-IS style). A graph
   * with no such person has none, and then no rule that requires an enquiry ever applies.
   */
  scope: { type: string; key: string; flag?: string } | undefined;
  agencies: Map<string, AgencyDef>;
  roles: Map<string, RoleDef>;
  rules: PolicyRule[];
  /** "Type.field" to the agency that owns the data. */
  owners: Map<string, string>;
  /** Type to the fields that some rule's conditions read. */
  conditionFields: Map<string, Set<string>>;
  /** Each interface and union of the API to the object types an answer of it can be. */
  possibleTypes: Map<string, readonly string[]>;
  /** "Query.searchSubjects" to what each of its arguments reads (the files' `arguments:`). */
  searches: Map<string, SearchField>;
}

export interface PolicyProblem {
  file: string;
  line?: number;
  rule?: string;
  message: string;
}

export function formatProblem(p: PolicyProblem): string {
  const where = p.line ? `${p.file}:${p.line}` : p.file;
  return `${where}${p.rule ? ` rule ${p.rule}` : ""}: ${p.message}`;
}

export class PolicyError extends Error {
  constructor(readonly problems: PolicyProblem[]) {
    super(
      `The policies have ${problems.length} problem(s):\n${problems.map((p) => `  - ${formatProblem(p)}`).join("\n")}`,
    );
    this.name = "PolicyError";
  }
}
