import { extendSchema, type GraphQLSchema, parse } from "graphql";
import type { ChronologySpec } from "./derive-paths.ts";
import { AGENCIES_ARGUMENT, CHRONOLOGY_FIELD, ENTRY_TYPE, ITEM_UNION } from "./names.ts";

/** Whether some rule could ever give a role set this field (role-schema.ts's MayGive). */
type MayGive = (type: string, field: string) => boolean;

/** The chronology each extended schema serves, for the expansion and the role schemas. */
const specs = new WeakMap<GraphQLSchema, ChronologySpec>();

/** The chronology a schema made by withChronology serves; undefined for any other schema. */
export const chronologyOf = (schema: GraphQLSchema): ChronologySpec | undefined =>
  specs.get(schema);

const quoted = (text: string) => JSON.stringify(text);

/**
 * The API schema with the root's `chronology` field, its entry type and the union of the dated
 * types. No existing type changes (a union, not an interface the agencies' types would have to
 * implement), so federation's types stay as composed. Refuses a schema that already has one of
 * the names: the graph would say two things.
 */
export function withChronology(api: GraphQLSchema, spec: ChronologySpec): GraphQLSchema {
  for (const name of [ENTRY_TYPE, ITEM_UNION])
    if (api.getType(name)) throw new Error(`The graph already has a type ${name}.`);
  const root = api.getType(spec.root);
  if (root && "getFields" in root && CHRONOLOGY_FIELD in root.getFields())
    throw new Error(`The graph already has ${spec.root}.${CHRONOLOGY_FIELD}.`);
  const agencies = spec.agencies.join(", ");
  const sdl = `
${quoted("One dated item an agency (or the hub) holds about the person: an incident, a case note, an enquiry's step.")}
union ${ITEM_UNION} = ${spec.items.join(" | ")}

${quoted("An item of a chronology, placed by its date.")}
type ${ENTRY_TYPE} {
  ${quoted("The item's date or date-time (ISO 8601), as the agency recorded it.")}
  at: String!
  ${quoted(`The agency that holds it, by its subgraph's name: ${agencies}.`)}
  agency: String!
  item: ${ITEM_UNION}!
}

extend type ${spec.root} {
  ${quoted(
    [
      "Every dated item about this person that you may see, across agencies, newest first (ties:",
      "by agency, then in a fixed order). Served by the gateway from the agencies' own fields, so each",
      "item is judged as those fields are: an item whose date is withheld is left out, and the",
      "withheld date is reported once for its agency at this field; an agency not answering is",
      "AGENCY_UNAVAILABLE here. `agencies` keeps only those agencies' items (unknown names are refused).",
    ].join("\n"),
  )}
  ${CHRONOLOGY_FIELD}(${AGENCIES_ARGUMENT}: [String!]): [${ENTRY_TYPE}!]
}
`;
  const extended = extendSchema(api, parse(sdl));
  specs.set(extended, spec);
  return extended;
}

/**
 * What the rules may give of the chronology, for the role schemas: the field (and its entry)
 * when some path's fields and its date may be given, since that is how its items are judged.
 */
export function chronologyGiven(api: GraphQLSchema, given: MayGive): MayGive {
  const spec = chronologyOf(api);
  if (!spec) return given;
  let some: boolean | undefined;
  const anyPath = () => {
    some ??= spec.paths.some(
      (p) => p.fields.every((f) => given(f.parentType, f.name)) && given(p.type, p.dateField),
    );
    return some;
  };
  return (type, field) => {
    if ((type === spec.root && field === CHRONOLOGY_FIELD) || type === ENTRY_TYPE) return anyPath();
    return given(type, field);
  };
}
