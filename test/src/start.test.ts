import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SEMI_SPACE_MB } from "../../scripts/node-flags.ts";
import { devToken, launch, root, startScript } from "./start-process.ts";

/**
 * `npm start` as a user runs it (`node scripts/start.mjs`, package.json's start script): seven
 * subgraph processes and the gateway, from the cached server bundles when current (else start.mjs
 * runs scripts/start.ts through tsx, which bundles them first), then Ctrl-C.
 */
describe("npm start", () => {
  it("is node scripts/start.mjs", () => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.start).toBe(`node ${startScript}`);
  });

  it("starts every process on an empty data directory, serves the graph, and stops on SIGINT", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "mash-start-"));
    const system = launch({
      PORT: "0",
      MASH_SUBGRAPH_BASE_PORT: "0",
      MASH_DATA_DIR: dataDir,
      MASH_SEED_SUBJECTS: "100",
      // The operator's own choice of young generation would leave ours out (node-flags.ts).
      NODE_OPTIONS: "",
    });
    try {
      const url = await system.ready();
      const output = system.output();
      expect(output).toMatch(/MASH Gateway is ready in [\d.]+ s\./);
      expect(output).toMatch(/Development sign-in/);
      // The servers run from their bundles, not from source through tsx.
      expect(output).not.toMatch(/Could not bundle the servers/);
      // Each with V8's young generation sized for a server.
      const servers = system.servers();
      expect(servers.size).toBe(8);
      for (const [name, pid] of servers) {
        const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
        expect(argv, name).toContain(`--max-semi-space-size=${SEMI_SPACE_MB}`);
      }
      const health = await fetch(url.replace("/graphql", "/health"));
      expect(health.status).toBe(200);
      const token = devToken("pc.jones", dataDir);
      const anonymous = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ __typename }" }),
      });
      expect(anonymous.status).toBe(401);
      const search = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({
          query: '{ searchSubjects(name: "Amelia Doe") { subject { id police { known } } } }',
        }),
      });
      const body = (await search.json()) as { data: { searchSubjects: { subject: unknown }[] } };
      expect(body.data.searchSubjects[0]?.subject).toEqual({
        id: "S-1001",
        police: { known: false },
      });

      system.child.kill("SIGINT");
      expect((await system.exited).code).toBe(0);
      await expect(fetch(url.replace("/graphql", "/health"))).rejects.toThrow();
    } finally {
      system.kill();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
