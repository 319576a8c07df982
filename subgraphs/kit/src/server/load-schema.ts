import { readFileSync } from "node:fs";
import { type DocumentNode, parse } from "graphql";

/** Schema-first: each agency's schema is a .graphql file beside its code. */
export function loadSchema(file: URL): DocumentNode {
  const text = readFileSync(file, "utf8");
  try {
    return parse(text);
  } catch (error) {
    throw new Error(`${file.pathname}: ${(error as Error).message}`, { cause: error });
  }
}
