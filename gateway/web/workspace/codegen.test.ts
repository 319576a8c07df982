import { readFileSync } from "node:fs";
import { join } from "node:path";
import { generate } from "@graphql-codegen/cli";
import { describe, expect, it } from "vitest";
import { workspaceCodegenConfig, workspaceGeneratedDir } from "./codegen.ts";

describe("the workspace's generated documents (gateway/web/workspace/generated)", () => {
  it("are what codegen makes now from its operations (run `npx graphql-codegen --config gateway/web/workspace/codegen.ts` if not)", async () => {
    // generate() is typed `FileOutput[] | any` for its watch mode; outside it, it is the outputs.
    const outputs: { filename: string; content: string }[] = await generate(
      workspaceCodegenConfig(),
      false,
    );
    expect(outputs.map((o) => o.filename)).toEqual([join(workspaceGeneratedDir, "operations.ts")]);
    for (const output of outputs) {
      expect(readFileSync(output.filename, "utf8"), output.filename).toBe(output.content);
    }
  });
});
