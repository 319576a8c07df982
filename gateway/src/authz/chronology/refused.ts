import { type FieldNode, GraphQLError } from "graphql";

/** Bad input, refused before anything is fetched. */
export class ChronologyRefused extends GraphQLError {
  constructor(message: string, node?: FieldNode) {
    super(message, {
      nodes: node,
      extensions: { code: "BAD_USER_INPUT", http: { status: 400 } },
    });
  }
}
