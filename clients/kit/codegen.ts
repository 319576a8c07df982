import { fileURLToPath } from "node:url";
import type { CodegenConfig } from "@graphql-codegen/cli";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The client-facing schema `npm run compose` writes, and the operations frontends rely on. */
export const apiSchemaFile = here("../../gateway/api-schema.graphql");
export const operationsGlob = here("../../gateway/operations/*.graphql");
export const generatedDir = here("src/generated/");

/**
 * Typed documents for every operation in gateway/operations, against the API schema: one file of
 * operation result and variable types (typescript-operations, which since v6 needs no base
 * `typescript` plugin and emits only the enums and inputs the operations use) and a
 * `TypedDocumentNode` per operation. `outDir` is for tests that generate beside a copy.
 */
export function codegenConfig(outDir = generatedDir): CodegenConfig {
  return {
    schema: apiSchemaFile,
    documents: operationsGlob,
    generates: {
      [`${outDir}operations.ts`]: {
        plugins: ["typescript-operations", "typed-document-node"],
        config: {
          // The scalars are ISO 8601 text on the wire (Date: YYYY-MM-DD).
          scalars: { Date: "string", DateTime: "string" },
          strictScalars: true,
          useTypeImports: true,
          enumType: "string-literal",
        },
      },
    },
  };
}

export default codegenConfig();
