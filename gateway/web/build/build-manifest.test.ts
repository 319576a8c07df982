import { cpSync, mkdtempSync, rmSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildConsolesIfChanged, DEFAULT_OPERATIONS_DIR } from "./build.ts";
import { isFresh, readManifest, stampFiles, writeManifest } from "./build-manifest.ts";

const temp = mkdtempSync(join(tmpdir(), "mash-build-manifest-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe("a build's manifest", () => {
  it("stays fresh while its files keep their content, and not a moment after", async () => {
    const input = join(temp, "input.txt");
    const output = join(temp, "output.txt");
    writeFileSync(input, "one");
    writeFileSync(output, "built from one");
    const file = join(temp, "manifest.json");
    await writeManifest(file, {
      key: "options",
      inputs: await stampFiles([input]),
      outputs: await stampFiles([output]),
      notes: { any: "thing" },
    });
    const manifest = await readManifest(file);
    expect(manifest?.notes).toEqual({ any: "thing" });
    expect(await isFresh(manifest, "options")).toBe(true);
    // Other options are another build.
    expect(await isFresh(manifest, "other options")).toBe(false);
    // Touched but unchanged: compared by content, still fresh.
    const later = new Date(Date.now() + 5000);
    utimesSync(input, later, later);
    expect(await isFresh(manifest, "options")).toBe(true);
    // Same size, other content, and even the old time: changed.
    writeFileSync(input, "two");
    expect(await isFresh(manifest, "options")).toBe(false);
    writeFileSync(input, "one");
    expect(await isFresh(manifest, "options")).toBe(true);
    // An output edited or gone is no build to keep.
    writeFileSync(output, "built from one!");
    expect(await isFresh(manifest, "options")).toBe(false);
    unlinkSync(output);
    expect(await isFresh(manifest, "options")).toBe(false);
    expect(await isFresh(undefined, "options")).toBe(false);
  });
});

describe("the consoles' build (npm start, npm run build)", () => {
  it("is skipped when nothing it is made from changed, and made again when something did", async () => {
    const operationsDir = join(temp, "operations");
    cpSync(DEFAULT_OPERATIONS_DIR, operationsDir, { recursive: true });
    const options = {
      outDir: join(temp, "console"),
      governanceOutDir: join(temp, "governance"),
      operationsDir,
      manifestFile: join(temp, "consoles-build.json"),
    };
    const first = await buildConsolesIfChanged(options);
    expect(first.rebuilt).toBe(true);
    expect(first.console?.operations).toContain("SubjectOverview");
    expect((await buildConsolesIfChanged(options)).rebuilt).toBe(false);

    // An operation's text is bundled into the console: an edit rebuilds it.
    const overview = join(operationsDir, "SubjectOverview.graphql");
    writeFileSync(overview, "query SubjectOverview($id: ID!) { subject(id: $id) { id } }\n");
    expect((await buildConsolesIfChanged(options)).rebuilt).toBe(true);
    expect((await buildConsolesIfChanged(options)).rebuilt).toBe(false);

    // A new operation is no file the last build read: its name alone must rebuild.
    writeFileSync(join(operationsDir, "Extra.graphql"), "query Extra { __typename }\n");
    const added = await buildConsolesIfChanged(options);
    expect(added.rebuilt).toBe(true);
    expect(added.console?.operations).toContain("Extra");

    // A bundle removed from the output is built again.
    unlinkSync(join(options.governanceOutDir, "governance.js"));
    expect((await buildConsolesIfChanged(options)).rebuilt).toBe(true);
  });
});
