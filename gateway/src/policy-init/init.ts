import { isObjectType } from "graphql";
import { implementationlessInterfaces } from "../authz/filter-schema.ts";
import type { PolicyText } from "../authz/policy/load.ts";
import { readOwnership } from "../authz/policy/ownership.ts";
import { agencyFile, fieldComments } from "./agency-file.ts";
import { GOVERNANCE_ROLE, nameAgencies, roleNameOf } from "./agency-names.ts";
import { inferHub } from "./infer-hub.ts";
import { candidateText, inferScope } from "./infer-scope.ts";
import { InitError } from "./init-error.ts";
import { parseSupergraph, readGraphs } from "./read-supergraph.ts";
import { rolesFile } from "./roles-file.ts";

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

/** roles.schema.json's pattern for role names. */
const ROLE_NAME = /^[a-z][a-z0-9_]*$/;

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
