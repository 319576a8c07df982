import {
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  specifiedRules,
  validate,
} from "graphql";

const SUGGESTION = / Did you mean .*\?$/s;

/** The error without graphql-js's "Did you mean ...?", for when no role schema can say. */
export function withoutSuggestion(error: GraphQLError): GraphQLError {
  if (!SUGGESTION.test(error.message)) return error;
  return new GraphQLError(error.message.replace(SUGGESTION, ""), {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: error.extensions,
  });
}

/**
 * The validation errors a requester is shown for a document the API schema refused: the errors
 * of the rules graphql-js specifies, as their role schema gives them (so a suggestion names only
 * what they may be given, and a name they may never be given reads as one that does not exist),
 * then the gateway's own rules' errors as they were. A document those rules accept on the API
 * schema keeps its errors (the gateway's limits), without suggestions.
 */
export function validationErrorsFor(
  api: GraphQLSchema,
  roleSchema: GraphQLSchema | undefined,
  document: DocumentNode,
  errors: readonly GraphQLError[],
): GraphQLError[] {
  const specified = new Set(validate(api, document, specifiedRules).map((e) => e.message));
  if (specified.size === 0 || !roleSchema) return errors.map(withoutSuggestion);
  const own = errors.filter((e) => !specified.has(e.message)).map(withoutSuggestion);
  const asRole = validate(roleSchema, document, specifiedRules);
  // A subset of the API schema refuses what the API schema refused; should it not, the API
  // schema's errors are shown without what they suggest.
  const shown =
    asRole.length > 0
      ? asRole
      : errors.filter((e) => specified.has(e.message)).map(withoutSuggestion);
  return [...shown, ...own];
}
