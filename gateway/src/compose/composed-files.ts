import { readFileSync } from "node:fs";
import { apiSchemaOf } from "./api-schema.ts";
import { composeSupergraph, type SubgraphSdl } from "./compose.ts";
import { apiSchemaFile, supergraphFile } from "./schema-files.ts";

/** A file `npm run compose` writes, and the text it should hold. */
export interface ComposedFile {
  path: string;
  text: string;
}

export interface ComposedPaths {
  supergraph: string;
  apiSchema: string;
}

/**
 * What the subgraph schemas compose to: the supergraph the gateway may serve, and beside it the
 * API schema frontends build against. Both come from one composition, so they cannot disagree.
 */
export function composedFiles(
  subgraphs: SubgraphSdl[],
  paths: ComposedPaths = { supergraph: supergraphFile, apiSchema: apiSchemaFile },
): ComposedFile[] {
  const supergraph = composeSupergraph(subgraphs);
  return [
    { path: paths.supergraph, text: supergraph },
    { path: paths.apiSchema, text: apiSchemaOf(supergraph) },
  ];
}

/** The files whose text on disk is not what they should hold (a missing file is stale too). */
export function staleFiles(files: readonly ComposedFile[]): string[] {
  return files
    .filter((file) => {
      try {
        return readFileSync(file.path, "utf8") !== file.text;
      } catch {
        return true;
      }
    })
    .map((file) => file.path);
}
