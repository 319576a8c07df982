import { execFile } from "node:child_process";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { generate } from "@graphql-codegen/cli";
import { afterAll, describe, expect, it } from "vitest";
import { codegenConfig, generatedDir } from "../codegen.ts";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../../", import.meta.url));
const codegenBin = join(root, "node_modules/.bin/graphql-codegen");
const kitConfig = fileURLToPath(new URL("../codegen.ts", import.meta.url));
const generatedFile = join(generatedDir, "operations.ts");

/** `graphql-codegen --config <config> --check`, as `npm run codegen -- --check` runs it. */
async function check(config: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(codegenBin, ["--config", config, "--check"], {
      cwd: root,
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, output: `${failed.stdout ?? ""}${failed.stderr ?? ""}` };
  }
}

describe("the generated documents (clients/kit/src/generated)", () => {
  const temp = mkdtempSync(join(tmpdir(), "mash-codegen-"));
  afterAll(() => rmSync(temp, { recursive: true, force: true }));

  it("are what codegen makes now from gateway/api-schema.graphql and gateway/operations (run `npm run codegen` if not)", async () => {
    // generate() is typed `FileOutput[] | any` for its watch mode; outside it, it is the outputs.
    const outputs: { filename: string; content: string }[] = await generate(codegenConfig(), false);
    expect(outputs.map((o) => o.filename)).toEqual([generatedFile]);
    for (const output of outputs) {
      expect(readFileSync(output.filename, "utf8"), output.filename).toBe(output.content);
    }
  });

  it("hold a typed document for every operation in gateway/operations", () => {
    const generated = readFileSync(generatedFile, "utf8");
    const dir = join(root, "gateway/operations");
    const names = readdirSync(dir)
      .filter((f) => f.endsWith(".graphql"))
      .flatMap((f) => [
        ...readFileSync(join(dir, f), "utf8").matchAll(/^(?:query|mutation) (\w+)/gm),
      ])
      .map((m) => m[1]);
    expect(names).toContain("SubjectOverview");
    expect(names.length).toBeGreaterThan(10);
    for (const name of names) {
      expect(generated).toMatch(new RegExp(`export const ${name}Document = \\{`));
    }
  });

  it("`npm run codegen -- --check` passes a fresh copy and fails, naming it, when the copy is edited", async () => {
    const outDir = join(temp, "generated/");
    const copy = join(outDir, "operations.ts");
    const config = join(temp, "codegen.ts");
    writeFileSync(
      config,
      `import { codegenConfig } from ${JSON.stringify(kitConfig)};\nexport default codegenConfig(${JSON.stringify(outDir)});\n`,
    );
    mkdirSync(outDir, { recursive: true });
    copyFileSync(generatedFile, copy);
    expect(await check(config)).toMatchObject({ code: 0 });

    writeFileSync(copy, readFileSync(copy, "utf8").replace("given: string", "given: number"));
    const stale = await check(config);
    expect(stale.code).toBe(1);
    expect(stale.output).toContain(copy);
    // The check writes nothing: the edited copy stays as it was.
    expect(readFileSync(copy, "utf8")).toContain("given: number");
  });
});
