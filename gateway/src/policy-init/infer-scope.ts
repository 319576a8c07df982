import type { DocumentNode } from "graphql";
import { Kind } from "graphql";
import type { FieldOwnership } from "../authz/policy/ownership.ts";
import { argOf } from "./read-supergraph.ts";

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

export interface Scope {
  type: string;
  key: string;
  why: string;
}

/**
 * The entity a person is: "in enquiry" is decided by its key. Only a name that says person is
 * taken; otherwise the entities with a one-field key are the candidates to choose from.
 */
export function inferScope(
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

/** The candidates for a scope, as a notice or comment names them. */
export const candidateText = (candidates: string[]) =>
  candidates.length
    ? `entities with a one-field key: ${candidates.join(", ")}`
    : "the supergraph has no entity with a one-field key";
