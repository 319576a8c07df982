import { GraphQLError } from "graphql";
import { type FieldPlan, locationsOf } from "./filter-plan.ts";

const prototypes = new WeakMap<FieldPlan, Map<GraphQLError, object>>();

/**
 * What graphql-js's locatedError makes of a withheld template at one path: the same message,
 * locations, path and extensions (the template's own object, as graphql-js shares it), an
 * instance of GraphQLError, without running the Error constructor (a stack capture and a scan of
 * the document's text for each of a list's hundreds of occurrences). What every occurrence of a
 * template at a field shares sits on a prototype made once.
 */
export function located(template: GraphQLError, field: FieldPlan, path: (string | number)[]) {
  let byTemplate = prototypes.get(field);
  if (!byTemplate) {
    byTemplate = new Map();
    prototypes.set(field, byTemplate);
  }
  let proto = byTemplate.get(template);
  if (!proto) {
    const locs = field.nodes.map((n) => n.loc).filter((loc) => loc != null);
    const hidden = (value: unknown) => ({ value, writable: true, configurable: true });
    proto = Object.create(GraphQLError.prototype, {
      name: hidden("GraphQLError"),
      originalError: hidden(template),
      nodes: hidden(field.nodes),
      source: hidden(locs[0]?.source),
      positions: hidden(locs.length ? locs.map((loc) => loc.start) : undefined),
      stack: hidden(template.stack),
    }) as object;
    byTemplate.set(template, proto);
  }
  // In the order a GraphQLError's own enumerable properties come.
  const error = Object.create(proto) as Record<string, unknown>;
  error.message = template.message;
  error.path = path;
  error.locations = locationsOf(field);
  error.extensions = template.extensions;
  return error as unknown as GraphQLError;
}
