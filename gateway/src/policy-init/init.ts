import {
  buildASTSchema,
  type ConstDirectiveNode,
  type DocumentNode,
  GraphQLError,
  type GraphQLField,
  type GraphQLSchema,
  isInterfaceType,
  isObjectType,
  Kind,
  parse,
} from "graphql";
import { implementationlessInterfaces } from "../authz/filter-schema.ts";
import type { PolicyText } from "../authz/policy/load.ts";
import { type FieldOwnership, readOwnership } from "../authz/policy/ownership.ts";

/**
 * `policies:init`: a first, loadable policy folder for any supergraph, so another graph can be
 * served deny-by-default and then opened up rule by rule. Every guess (hub, scope, roles) is
 * written down as a comment and a notice, because each one is a governance decision.
 */

export interface InitOptions {
  /** A role that sees everything: one allow rule per agency, for testing only. */
  allowAll?: string;
  /** Where the supergraph came from, for the files' header. */
  source?: string;
}

export interface InitResult {
  /** roles.yaml and one `<agency>.yaml` per agency. */
  files: PolicyText[];
  /** What was guessed and what to decide next. */
  notices: string[];
}

/** The input cannot make a policy folder; `flag` names the option at fault, if one is. */
export class InitError extends Error {
  constructor(
    message: string,
    readonly flag?: string,
  ) {
    super(message);
    this.name = "InitError";
  }
}

/** The shape of the shipped agency names; they also start rule ids, whose pattern is the same. */
const AGENCY_NAME = /^[a-z][a-z0-9-]*$/;
/** roles.schema.json's pattern for role names. */
const ROLE_NAME = /^[a-z][a-z0-9_]*$/;
/** Entity names that suggest a person, most likely first. */
const PERSON_NAMES = [
  "Subject",
  "Person",
  "User",
  "Customer",
  "Account",
  "Patient",
  "Client",
  "Member",
  "Citizen",
  "Individual",
  "Resident",
];
const GOVERNANCE_ROLE = "information_governance_officer";

interface Agency {
  name: string;
  subgraph: string;
}

const argOf = (d: ConstDirectiveNode, name: string) => {
  const value = d.arguments?.find((a) => a.name.value === name)?.value;
  return value?.kind === Kind.STRING || value?.kind === Kind.ENUM ? value.value : undefined;
};

function parseSupergraph(sdl: string): { doc: DocumentNode; schema: GraphQLSchema } {
  let doc: DocumentNode;
  try {
    doc = parse(sdl);
  } catch (error) {
    const at = error instanceof GraphQLError ? error.locations?.[0] : undefined;
    throw new InitError(
      `${at ? `line ${at.line}, column ${at.column}: ` : ""}${(error as Error).message}`,
    );
  }
  try {
    return { doc, schema: buildASTSchema(doc, { assumeValidSDL: true }) };
  } catch (error) {
    throw new InitError((error as Error).message);
  }
}

/** Subgraph names as the join__Graph enum's `@join__graph(name:)` spells them. */
function readGraphs(doc: DocumentNode): string[] {
  const graphs: string[] = [];
  for (const def of doc.definitions) {
    if (def.kind !== Kind.ENUM_TYPE_DEFINITION || def.name.value !== "join__Graph") continue;
    for (const value of def.values ?? []) {
      const d = value.directives?.find((x) => x.name.value === "join__graph");
      const name = d && argOf(d, "name");
      if (name) graphs.push(name);
    }
  }
  return graphs;
}

/** "USER_ACCOUNTS" and "UserAccounts" both become "user-accounts"; a fitting name is kept. */
export function agencyNameFor(subgraph: string): string {
  if (AGENCY_NAME.test(subgraph)) return subgraph;
  const kebab = subgraph
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1-$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return /^[a-z]/.test(kebab) ? kebab : `agency-${kebab}`.replace(/-$/, "");
}

function nameAgencies(subgraphs: string[], notices: string[]): Agency[] {
  const taken = new Set<string>();
  return subgraphs.map((subgraph) => {
    const base = agencyNameFor(subgraph);
    // "roles" would make roles.yaml both the roles file and an agency's file.
    let name = base === "roles" ? "roles-agency" : base;
    for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
    taken.add(name);
    if (name !== subgraph)
      notices.push(
        `Subgraph "${subgraph}" is agency "${name}" (agency names are lower case with hyphens); roles.yaml keeps subgraphs: [${subgraph}].`,
      );
    return { name, subgraph };
  });
}

/**
 * The hub is the front door: the agency whose subgraph answers the most root query fields (where
 * people are looked up and enquiries opened), then the one that resolves the most fields that
 * several subgraphs share; ties by name.
 */
function inferHub(agencies: Agency[], ownership: FieldOwnership): { hub: string; why: string } {
  const roots = new Map<string, number>();
  const shared = new Map<string, number>();
  for (const [coordinate, graphs] of ownership.graphsOf) {
    if (coordinate.startsWith("Query."))
      for (const g of graphs) roots.set(g, (roots.get(g) ?? 0) + 1);
    if (graphs.length > 1) for (const g of graphs) shared.set(g, (shared.get(g) ?? 0) + 1);
  }
  const count = (m: Map<string, number>, a: Agency) => m.get(a.subgraph) ?? 0;
  const ranked = [...agencies].sort(
    (a, b) =>
      count(roots, b) - count(roots, a) ||
      count(shared, b) - count(shared, a) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  const best = ranked[0] as Agency;
  const why = count(roots, best)
    ? `its subgraph answers the most root query fields (${count(roots, best)})`
    : count(shared, best)
      ? `its subgraph resolves the most fields that several subgraphs share (${count(shared, best)})`
      : "no subgraph stands out, so the first agency by name was taken";
  return { hub: best.name, why };
}

interface Scope {
  type: string;
  key: string;
  why: string;
}

/**
 * The entity a person is: "in enquiry" is decided by its key. Only a name that says person is
 * taken; otherwise the entities with a one-field key are the candidates to choose from.
 */
function inferScope(
  doc: DocumentNode,
  ownership: FieldOwnership,
): { scope: Scope | undefined; candidates: string[] } {
  const byId: { type: string; joins: number; rank: number }[] = [];
  const candidates: string[] = [];
  for (const def of doc.definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
    const name = def.name.value;
    const joins = (def.directives ?? []).filter((d) => d.name.value === "join__type");
    const keys = new Set(joins.map((d) => argOf(d, "key")?.trim()));
    const fields = ownership.fieldsOf.get(name) ?? [];
    for (const key of keys) if (key && fields.includes(key)) candidates.push(`${name}.${key}`);
    if (!keys.has("id") || !fields.includes("id")) continue;
    const words: string[] = name.match(/[A-Z][a-z0-9]*/g) ?? [];
    const exact = PERSON_NAMES.indexOf(name);
    const word = PERSON_NAMES.findIndex((p) => words.includes(p));
    const rank =
      exact >= 0 ? exact : word >= 0 ? PERSON_NAMES.length + word : Number.POSITIVE_INFINITY;
    byId.push({ type: name, joins: new Set(joins.map((d) => argOf(d, "graph"))).size, rank });
  }
  byId.sort(
    (a, b) =>
      a.rank - b.rank || b.joins - a.joins || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0),
  );
  const best = byId[0];
  if (best && Number.isFinite(best.rank))
    return {
      scope: { type: best.type, key: "id", why: "its name suggests a person and its key is id" },
      candidates,
    };
  // No person by name: an entity guessed from its shape would decide "in enquiry" on the wrong
  // records, and its key would be fetched for every object of it. The officer chooses.
  return { scope: undefined, candidates };
}

const candidateText = (candidates: string[]) =>
  candidates.length
    ? `entities with a one-field key: ${candidates.join(", ")}`
    : "the supergraph has no entity with a one-field key";

/** A YAML scalar: plain when that reads the same in block and flow context, else double-quoted. */
function q(s: string): string {
  const plain =
    /^[A-Za-z][A-Za-z0-9 _.;()/'-]*$/.test(s) &&
    !s.endsWith(" ") &&
    !/^(true|false|null|yes|no|on|off|y|n)$/i.test(s);
  return plain ? s : JSON.stringify(s);
}

const roleNameOf = (agency: string) => `${agency.replace(/-/g, "_")}_reader`;

/** "subject(id: ID!): Subject", as a reader of the policy needs to recognise the field. */
function signature(field: GraphQLField<unknown, unknown> | undefined, name: string): string {
  if (!field) return name;
  const args = field.args.map((a) => `${a.name}: ${String(a.type)}`).join(", ");
  return `${name}${args ? `(${args})` : ""}: ${String(field.type)}`;
}

function fieldComments(
  owned: Map<string, string[]>,
  schema: GraphQLSchema,
  ownership: FieldOwnership,
): string[] {
  const lines: string[] = [];
  for (const [type, fields] of owned) {
    const def = schema.getType(type);
    const defs = isObjectType(def) || isInterfaceType(def) ? def.getFields() : {};
    lines.push(`#   ${type}`);
    for (const f of fields) {
      let line = `#     ${signature(defs[f], f)}`;
      const graphs = ownership.graphsOf.get(`${type}.${f}`) ?? [];
      if (graphs.length > 1) line += `  (shared: ${graphs.join(", ")})`;
      const about = defs[f]?.description?.split("\n")[0]?.trim();
      if (about) {
        const room = 100 - line.length - 4;
        if (room > 20)
          line += `  - ${about.length > room ? `${about.slice(0, room - 3)}...` : about}`;
      }
      lines.push(line);
    }
  }
  return lines;
}

function agencyFile(
  agency: Agency,
  owned: Map<string, string[]>,
  isHub: boolean,
  allowAll: string | undefined,
  comments: string[],
): string {
  const out = [
    "# yaml-language-server: $schema=./schema/policy.schema.json",
    `# The rules for the data of subgraph ${agency.subgraph}${isHub ? ", and (as the hub) for fields several subgraphs share" : ""}.`,
    "# Deny by default: a field no rule allows is withheld. For one field, when several rules apply,",
    "# the one written last decides.",
    `agency: ${agency.name}`,
  ];
  const types = [...owned.keys()];
  if (allowAll && types.length) {
    out.push(
      "rules:",
      `  - id: ${agency.name}-allow-all-testing`,
      `    description: ${q(`FOR TESTING ONLY. ${allowAll} sees every field ${agency.name} governs (written by policies:init --allow-all)`)}`,
      `    roles: [${allowAll}]`,
      "    fields:",
      ...types.map((t) => `      ${t}: "*"`),
      `    legalBasis: ${q("None - for testing only; remove this rule before any real data is served")}`,
    );
  } else {
    out.push("rules: []");
  }
  if (!types.length) {
    out.push(
      "",
      "# This agency governs no field: every field its subgraph resolves is shared, so the hub's.",
    );
    return `${out.join("\n")}\n`;
  }
  const first = types[0] as string;
  out.push(
    "",
    "# A first rule might read (name the real roles and the lawful basis):",
    "# rules:",
    `#   - id: ${agency.name}-own-records`,
    `#     description: ${agency.name} practitioners see ${first} in full.`,
    `#     roles: [${roleNameOf(agency.name)}]`,
    "#     fields:",
    `#       ${first}: "*" # or a list: [field, field]`,
    "#     legalBasis: Owning agency",
    "",
    "# The types and fields this agency governs (another agency's file may not name them):",
    ...comments,
  );
  return `${out.join("\n")}\n`;
}

function rolesFile(
  agencies: Agency[],
  hub: { hub: string; why: string },
  { scope, candidates }: { scope: Scope | undefined; candidates: string[] },
  allowAll: string | undefined,
  source: string | undefined,
): string {
  const out = [
    "# yaml-language-server: $schema=./schema/roles.schema.json",
    `# Written by npm run policies:init${source ? ` from ${source}` : ""}.`,
    "# The hub, the scope and the roles below are guesses to start from: each is a governance",
    "# decision to confirm or change.",
    "",
    "# The agency whose file governs fields several subgraphs resolve (an entity's key, say).",
    `# Inferred: ${hub.why}.`,
    `hub: ${hub.hub}`,
    "",
  ];
  if (scope) {
    out.push(
      '# "In enquiry" is decided per person: the nearest object of this type above a field, by its',
      "# key, must be linked to the open enquiry the request states.",
      `# Inferred: ${scope.why}.`,
      "# Add `flag: <a Boolean field of it>` to notify the owning agencies whenever a flagged person",
      "# is looked at.",
      "scope:",
      `  type: ${scope.type}`,
      `  key: ${scope.key}`,
    );
  } else {
    out.push(
      "# No scope: no entity keyed by id looks like a person. Name the type a person is and its key,",
      "# e.g. scope: { type: Person, key: id }. Until then a rule that requires an enquiry can never",
      "# apply, because no object can be linked to one.",
      `# Candidates: ${candidateText(candidates)}.`,
    );
  }
  out.push("", "# One agency per subgraph; retitle them as the partnership agrees.", "agencies:");
  for (const a of agencies)
    out.push(`  ${a.name}: { title: ${q(a.subgraph)}, subgraphs: [${q(a.subgraph)}] }`);
  out.push(
    "",
    "# Placeholder practitioner roles, one per agency: rename them or replace them with the real",
    "# ones (and add `breakGlass: true` to a role that may break the glass). Role groups go under",
    "# `groups:` (group name: [roles]).",
    "roles:",
  );
  for (const a of agencies)
    out.push(
      `  ${roleNameOf(a.name)}:`,
      `    agency: ${a.name}`,
      `    description: ${q(`Placeholder for ${a.subgraph} practitioners; rename it or replace it with the real roles`)}`,
    );
  if (allowAll)
    out.push(
      `  ${allowAll}:`,
      `    agency: ${hub.hub}`,
      `    description: ${q("FOR TESTING ONLY - sees every field (policies:init --allow-all); remove before real data is served")}`,
    );
  out.push(
    `  ${GOVERNANCE_ROLE}:`,
    "    description: Edits their own agency's sharing rules and reads its access log; sees no records",
    "    governance: true",
  );
  return `${out.join("\n")}\n`;
}

/** A loadable, deny-by-default policy folder (roles.yaml and one file per agency) for a supergraph. */
export function initPolicies(supergraphSdl: string, options: InitOptions = {}): InitResult {
  const notices: string[] = [];
  const { doc, schema } = parseSupergraph(supergraphSdl);
  const graphs = readGraphs(doc);
  if (!graphs.length)
    throw new InitError(
      "is not a supergraph: it has no join__Graph enum naming subgraphs (compose it first, e.g. with rover supergraph compose)",
    );
  const ownership = readOwnership(doc);

  // load.ts refuses an agency naming a subgraph that resolves no field, so such a one gets none.
  const resolving = new Set([...ownership.graphsOf.values()].flat());
  const subgraphs = graphs.filter((name) => resolving.has(name));
  for (const name of graphs.filter((g) => !resolving.has(g)))
    notices.push(
      `Subgraph "${name}" resolves no field (as the join directives say), so it has no agency.`,
    );
  if (!subgraphs.length) throw new InitError("has no subgraph that resolves any field");

  const agencies = nameAgencies([...new Set(subgraphs)], notices);
  const hub = inferHub(agencies, ownership);
  notices.push(`hub: ${hub.hub}, because ${hub.why}.`);
  const inferred = inferScope(doc, ownership);
  const { scope } = inferred;
  notices.push(
    scope
      ? `scope: ${scope.type}.${scope.key}, because ${scope.why}. Check it is the person records hang under.`
      : `scope: none could be inferred (no entity keyed by id looks like a person). Add \`scope: { type, key }\` to roles.yaml naming the type a person is: without it, rules that require an enquiry can never apply. Candidates: ${candidateText(inferred.candidates)}.`,
  );

  const roleNames = new Set([GOVERNANCE_ROLE, ...agencies.map((a) => roleNameOf(a.name))]);
  const { allowAll } = options;
  if (allowAll !== undefined) {
    if (!ROLE_NAME.test(allowAll))
      throw new InitError(
        `"${allowAll}" is not a role name (lower case letters, digits and _, starting with a letter)`,
        "--allow-all",
      );
    if (roleNames.has(allowAll))
      throw new InitError(
        `"${allowAll}" is already a role init writes; choose another name`,
        "--allow-all",
      );
    notices.push(
      `--allow-all: role ${allowAll} sees every field. For testing only: remove the role and its rules before real data is served.`,
    );
  }

  // The owner rule of load.ts: a field the subgraphs of one agency resolve is that agency's; a
  // field several agencies resolve is the hub's. Object types are listed, and interfaces no object
  // type implements: a rule is judged on the concrete type, so they cover every field a client
  // can be sent (interfaces included).
  const lonely = implementationlessInterfaces(schema);
  const agencyOfGraph = new Map(agencies.map((a) => [a.subgraph, a.name]));
  const owned = new Map<string, Map<string, string[]>>(agencies.map((a) => [a.name, new Map()]));
  for (const [type, fields] of ownership.fieldsOf) {
    if (!isObjectType(schema.getType(type)) && !lonely.has(type)) continue;
    for (const f of fields) {
      const g = ownership.graphsOf.get(`${type}.${f}`) ?? [];
      const by = new Set(g.map((graph) => agencyOfGraph.get(graph) ?? hub.hub));
      const owner = by.size === 1 ? ([...by][0] as string) : hub.hub;
      const types = owned.get(owner) as Map<string, string[]>;
      types.set(type, [...(types.get(type) ?? []), f]);
    }
  }

  // The hub first, as the shipped roles.yaml has it; then by name.
  const ordered = [...agencies].sort((a, b) =>
    a.name === hub.hub ? -1 : b.name === hub.hub ? 1 : a.name < b.name ? -1 : 1,
  );
  const files: PolicyText[] = [
    { name: "roles.yaml", text: rolesFile(ordered, hub, inferred, allowAll, options.source) },
  ];
  for (const a of ordered) {
    const mine = owned.get(a.name) as Map<string, string[]>;
    if (!mine.size)
      notices.push(`Agency ${a.name} governs no field: every field it resolves is shared.`);
    const comments = fieldComments(mine, schema, ownership);
    files.push({
      name: `${a.name}.yaml`,
      text: agencyFile(a, mine, a.name === hub.hub, allowAll, comments),
    });
  }
  notices.push(
    `roles: placeholder ${ordered.map((a) => roleNameOf(a.name)).join(", ")}; rename them or replace them with the real roles.`,
  );
  return { files, notices };
}
