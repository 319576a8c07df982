import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { supergraphFile } from "../../compose/schema-files.ts";
import { defaultPoliciesDir } from "../policy/load.ts";

const root = fileURLToPath(new URL("../../../../", import.meta.url));
// The gateway is deployed on `deployed` (MASH_SUPERGRAPH_FILE): only that file's URLs are used.
const explain = (
  args: string[],
  subgraphUrls = "",
  deployed = args[args.indexOf("--supergraph") + 1],
) =>
  spawnSync(process.execPath, ["--import", "tsx", "gateway/src/authz/cli/explain.ts", ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, MASH_SUBGRAPH_URLS: subgraphUrls, MASH_SUPERGRAPH_FILE: deployed ?? "" },
  });

// A graph composed elsewhere: the hub's subgraph is "hub", which no default names, recorded at
// a URL of its own. Nothing listens on port 9, so explain says where it asked and what it assumed.
const dir = mkdtempSync(join(tmpdir(), "mash-explain-"));
const policies = join(dir, "policies");
cpSync(defaultPoliciesDir, policies, { recursive: true });
const rolesFile = join(policies, "roles.yaml");
const roles = readFileSync(rolesFile, "utf8");
if (!roles.includes("    subgraphs: [mash]\n"))
  throw new Error("roles.yaml changed: update this test");
writeFileSync(rolesFile, roles.replace("    subgraphs: [mash]\n", "    subgraphs: [hub]\n"));
const mashGraph = 'MASH @join__graph(name: "mash", url: "http://127.0.0.1:4001/graphql")';
const sdl = readFileSync(supergraphFile, "utf8");
if (!sdl.includes(mashGraph)) throw new Error("supergraph.graphql changed: update this test");
const foreign = (url: string) => {
  const file = join(dir, `supergraph-${url ? "with" : "without"}-url.graphql`);
  writeFileSync(file, sdl.replace(mashGraph, `MASH @join__graph(name: "hub", url: "${url}")`));
  return file;
};
const withUrl = foreign("http://127.0.0.1:9/recorded");
const withoutUrl = foreign("");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const asking = (supergraph: string, ...more: string[]) => [
  ...["--dir", policies, "--supergraph", supergraph, "--as", "sw.patel"],
  ...["--enquiry", "ENQ-2001", ...more, "Intelligence.summary"],
];
const NO_URL = 'No URL for the hub\'s subgraph "hub": give --hub-url.';

describe("policies:explain finds the hub of a supergraph file", () => {
  it("asks the hub at the URL the supergraph file records for it", () => {
    const out = explain(asking(withUrl));
    expect(out.stderr).toBe("");
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/hub not reachable at http:\/\/127\.0\.0\.1:9\/recorded: assumed/);
  });

  it("still asks where --hub-url or MASH_SUBGRAPH_URLS says, before the file", () => {
    const flag = explain(asking(withUrl, "--hub-url", "http://127.0.0.1:9/flag"));
    expect(flag.status).toBe(0);
    expect(flag.stdout).toMatch(/hub not reachable at http:\/\/127\.0\.0\.1:9\/flag: /);
    const env = explain(asking(withUrl), "hub=http://127.0.0.1:9/env");
    expect(env.status).toBe(0);
    expect(env.stdout).toMatch(/hub not reachable at http:\/\/127\.0\.0\.1:9\/env: /);
    // MASH_SUBGRAPH_URLS that leaves the hub out: the file's URL, as a gateway on it would use.
    const other = explain(asking(withUrl), "police=http://127.0.0.1:9/police");
    expect(other.stdout).toMatch(/hub not reachable at http:\/\/127\.0\.0\.1:9\/recorded: /);
  });

  it("never sends the hub's signed context where a file other than the deployment's says", () => {
    const out = explain(asking(withUrl), "", "");
    expect(out.status).toBe(2);
    expect(out.stdout).toBe("");
    expect(out.stderr.split("\n")[0]).toBe(NO_URL);
    const elsewhere = explain(asking(withUrl), "", withoutUrl);
    expect(elsewhere.status).toBe(2);
    expect(elsewhere.stderr.split("\n")[0]).toBe(NO_URL);
  });

  it("asks for --hub-url when the file records no URL for the hub", () => {
    const out = explain(asking(withoutUrl));
    expect(out.status).toBe(2);
    expect(out.stdout).toBe("");
    expect(out.stderr.split("\n")[0]).toBe(NO_URL);
  });
});
