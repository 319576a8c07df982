import { type Agency, GOVERNANCE_ROLE, roleNameOf } from "./agency-names.ts";
import { candidateText, type Scope } from "./infer-scope.ts";
import { q } from "./yaml-scalar.ts";

/** roles.yaml: the guessed hub and scope, one agency per subgraph, placeholder roles. */
export function rolesFile(
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
