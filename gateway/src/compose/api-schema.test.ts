import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSchema, parse, validate } from "graphql";
import { afterAll, describe, expect, it } from "vitest";
import { apiSchemaOf } from "./api-schema.ts";
import { composeSupergraph } from "./compose.ts";
import { composedFiles, staleFiles } from "./composed-files.ts";
import { apiSchemaFile, readSchemaFiles } from "./schema-files.ts";

const files = readSchemaFiles();
const supergraph = composeSupergraph(files);
const operationsDir = new URL("../../operations/", import.meta.url);

describe("the API schema (gateway/api-schema.graphql)", () => {
  const temp = mkdtempSync(join(tmpdir(), "mash-api-schema-"));
  afterAll(() => rmSync(temp, { recursive: true, force: true }));

  it("matches what the subgraph schemas compose to now (run `npm run compose` if not)", () => {
    expect(readFileSync(apiSchemaFile, "utf8")).toBe(apiSchemaOf(supergraph));
  });

  it("holds nothing of federation: no join__ or link__ names, no federation directives", () => {
    const sdl = readFileSync(apiSchemaFile, "utf8");
    // The header comment names what was left out; the schema itself must not hold it.
    const body = sdl.replace(/^#.*\n/gm, "");
    expect(supergraph).toMatch(/join__/);
    expect(body).not.toMatch(/join__|link__|@link|@join|@inaccessible|@key|_Entity|_Service/);
    const schema = buildSchema(sdl);
    expect(schema.getQueryType()?.getFields().subject).toBeDefined();
    expect(schema.getMutationType()?.getFields().openEnquiry).toBeDefined();
  });

  it("accepts every operation a frontend relies on (gateway/operations)", () => {
    const schema = buildSchema(readFileSync(apiSchemaFile, "utf8"));
    const names = readdirSync(operationsDir).filter((f) => f.endsWith(".graphql"));
    expect(names.length).toBeGreaterThan(10);
    for (const name of names) {
      const document = parse(readFileSync(new URL(name, operationsDir), "utf8"));
      expect({ name, errors: validate(schema, document).map((e) => e.message) }).toEqual({
        name,
        errors: [],
      });
    }
  });

  it("leaves out a field a subgraph marks @inaccessible, which the supergraph keeps", () => {
    const hidden = files.map((f) =>
      f.name === "police"
        ? {
            ...f,
            sdl: f.sdl
              .replace('import: ["@key", ', 'import: ["@key", "@inaccessible", ')
              .replace(
                "type PoliceSection {",
                "type PoliceSection {\n  custodyRecordRef: String @inaccessible",
              ),
          }
        : f,
    );
    const composed = composeSupergraph(hidden);
    expect(composed).toContain("custodyRecordRef");
    const api = apiSchemaOf(composed);
    expect(api).not.toContain("custodyRecordRef");
    expect(api).toContain("warningMarkers");
  });

  it("serves the chronology the subgraphs declare with @dated, and only while they do", () => {
    const schema = buildSchema(readFileSync(apiSchemaFile, "utf8"));
    const chronology = schema.getQueryType()?.getFields().subject?.type.toString();
    expect(chronology).toBe("Subject");
    const subject = schema.getType("Subject");
    expect(
      subject && "getFields" in subject && subject.getFields().chronology?.type.toString(),
    ).toBe("[ChronologyEntry!]");
    const undated = files.map((f) => ({ ...f, sdl: f.sdl.replace(/: (\S+) @dated/g, ": $1") }));
    expect(apiSchemaOf(composeSupergraph(undated))).not.toMatch(/chronology|Chronology/);
  });

  it("prints the same text whatever order the subgraphs are given in", () => {
    expect(apiSchemaOf(composeSupergraph([...files].reverse()))).toBe(apiSchemaOf(supergraph));
  });

  it("`compose --check` names a copy that is edited or missing, and passes fresh copies", () => {
    const paths = {
      supergraph: join(temp, "supergraph.graphql"),
      apiSchema: join(temp, "api.graphql"),
    };
    const fresh = composedFiles(files, paths);
    for (const file of fresh) writeFileSync(file.path, file.text);
    expect(staleFiles(fresh)).toEqual([]);

    const api = readFileSync(paths.apiSchema, "utf8");
    writeFileSync(paths.apiSchema, api.replace("type Address {", "type Address {\n  town: String"));
    expect(staleFiles(fresh)).toEqual([paths.apiSchema]);

    rmSync(paths.apiSchema);
    rmSync(paths.supergraph);
    expect(staleFiles(fresh)).toEqual([paths.supergraph, paths.apiSchema]);
  });
});
