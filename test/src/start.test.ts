import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const startScript = "scripts/start.mjs";
/** Long enough to bundle the servers when a source changed (~20 s here), short of the time-out. */
const READY_MS = 45_000;

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
    const child = spawn(process.execPath, [startScript], {
      cwd: root,
      // As a user runs it: vitest sets NODE_ENV=test, which changes Apollo's signal handling.
      env: {
        ...process.env,
        NODE_ENV: "",
        PORT: "0",
        MASH_SUBGRAPH_BASE_PORT: "0",
        MASH_DATA_DIR: dataDir,
        MASH_SEED_SUBJECTS: "100",
      },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      // Its own process group, so that whatever happens the test can stop the launcher and
      // every server it started, by that group's id.
      detached: true,
    });
    let output = "";
    child.stdout?.on("data", (d) => {
      output += d;
    });
    child.stderr?.on("data", (d) => {
      output += d;
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.on(
          "message",
          (m: { type?: string; url?: string }) => m.type === "ready" && m.url && resolve(m.url),
        );
        child.on("exit", (code) =>
          reject(new Error(`npm start exited (${code}) before it was ready:\n${output}`)),
        );
        // Within the test's time-out, so the group is stopped below rather than left running.
        setTimeout(
          () => reject(new Error(`npm start was not ready in ${READY_MS} ms:\n${output}`)),
          READY_MS,
        ).unref();
      });
      expect(output).toMatch(/MASH Gateway is ready in [\d.]+ s\./);
      expect(output).toMatch(/Development sign-in/);
      // The servers run from their bundles, not from source through tsx.
      expect(output).not.toMatch(/Could not bundle the servers/);
      const health = await fetch(url.replace("/graphql", "/health"));
      expect(health.status).toBe(200);
      // `npm run --silent token -- pc.jones`, as the README tells a developer.
      const token = execFileSync(
        process.execPath,
        ["--import", "tsx", "gateway/src/identity/token-cli.ts", "pc.jones"],
        {
          cwd: root,
          env: { ...process.env, MASH_DATA_DIR: dataDir },
          encoding: "utf8",
        },
      ).trim();
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

      const exited = new Promise<number | null>((resolve) =>
        child.on("exit", (code) => resolve(code)),
      );
      child.kill("SIGINT");
      expect(await exited).toBe(0);
      await expect(fetch(url.replace("/graphql", "/health"))).rejects.toThrow();
    } finally {
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // The group has already gone: every process stopped.
        }
      }
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
