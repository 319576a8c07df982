import { type GraphQLField, type GraphQLSchema, isInterfaceType, isObjectType } from "graphql";
import type { FieldOwnership } from "../authz/policy/ownership.ts";
import { type Agency, roleNameOf } from "./agency-names.ts";
import { q } from "./yaml-scalar.ts";

/** "subject(id: ID!): Subject", as a reader of the policy needs to recognise the field. */
function signature(field: GraphQLField<unknown, unknown> | undefined, name: string): string {
  if (!field) return name;
  const args = field.args.map((a) => `${a.name}: ${String(a.type)}`).join(", ");
  return `${name}${args ? `(${args})` : ""}: ${String(field.type)}`;
}

/** Comment lines listing the types and fields an agency governs, with signatures and sharing. */
export function fieldComments(
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

/** `<agency>.yaml`: no rule (or the --allow-all one), a sample rule and the fields it governs. */
export function agencyFile(
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
