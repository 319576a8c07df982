import { existsSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defaultSubgraphs, readSchemaFiles } from "@mash/gateway";
import { ROSTER } from "@mash/kit/roster";
import { describe, expect, it } from "vitest";
import { agencies } from "../../scripts/agencies.ts";

const subgraphs = fileURLToPath(new URL("../../subgraphs/", import.meta.url));

/** One roster (subgraphs/kit/src/roster.ts): everything that lists the agencies reads it. */
describe("the roster of agencies", () => {
  it("names every agency folder with a schema, and nothing else", () => {
    const folders = readdirSync(subgraphs).filter((name) =>
      existsSync(`${subgraphs}${name}/src/schema.graphql`),
    );
    expect(ROSTER.map((agency) => agency.name).sort()).toEqual(folders.sort());
    for (const agency of ROSTER) expect(existsSync(agency.schema), agency.schema).toBe(true);
  });

  it("gives ports in order from the hub's, as MASH_SUBGRAPH_BASE_PORT moves them", () => {
    const first = ROSTER[0]?.port ?? 0;
    expect(ROSTER.map((agency) => agency.port)).toEqual(ROSTER.map((_, i) => first + i));
    expect(ROSTER[0]?.name).toBe("mash");
  });

  it("is what the definitions, the gateway's defaults, the launcher and composition use", () => {
    expect(agencies.map((a) => ({ name: a.name, title: a.title, port: a.defaultPort }))).toEqual(
      ROSTER.map(({ name, title, port }) => ({ name, title, port })),
    );
    expect(defaultSubgraphs).toEqual(
      ROSTER.map((a) => ({ name: a.name, url: `http://127.0.0.1:${a.port}/graphql` })),
    );
    expect(readSchemaFiles().map((file) => file.name)).toEqual(
      ROSTER.map((agency) => agency.name).sort(),
    );
  });
});
