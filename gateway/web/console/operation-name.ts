import { Kind, parse } from "graphql";

/**
 * The operation a request runs. GraphiQL settles the operation name 100 ms after the query
 * editor last changed (a debounce in @graphiql/react 0.28), so Ctrl-Enter straight after
 * switching tabs sends the previous tab's name with this tab's document, and the gateway refuses
 * it ("Unknown operation named ..."). When the name given is not in the document and the document
 * holds exactly one operation, that operation is the one meant. Anything else is left as given,
 * for the gateway to explain: a document that does not parse, or several operations.
 */
export function operationNameIn(query: string, given: string | undefined): string | undefined {
  let names: (string | undefined)[];
  try {
    names = parse(query).definitions.flatMap((definition) =>
      definition.kind === Kind.OPERATION_DEFINITION ? [definition.name?.value] : [],
    );
  } catch {
    return given;
  }
  if (given !== undefined && names.includes(given)) return given;
  return names.length === 1 ? names[0] : given;
}
