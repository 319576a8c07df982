/** The shape of the shipped agency names; they also start rule ids, whose pattern is the same. */
const AGENCY_NAME = /^[a-z][a-z0-9-]*$/;

export interface Agency {
  name: string;
  subgraph: string;
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

/** One agency per subgraph, each name unique; a notice for each name that differs. */
export function nameAgencies(subgraphs: string[], notices: string[]): Agency[] {
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

/** The placeholder practitioner role init writes for an agency. */
export const roleNameOf = (agency: string) => `${agency.replace(/-/g, "_")}_reader`;

export const GOVERNANCE_ROLE = "information_governance_officer";
