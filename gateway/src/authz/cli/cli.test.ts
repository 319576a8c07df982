import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { defaultPoliciesDir } from "../policy/load.ts";

const root = fileURLToPath(new URL("../../../../", import.meta.url));
const run = (script: string, ...args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", `gateway/src/authz/cli/${script}.ts`, ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, MASH_SUBGRAPH_URLS: "" },
  });
// Nothing listens on port 9: explain says what it assumed instead of asking a hub.
const NO_HUB = ["--hub-url", "http://127.0.0.1:9/graphql"];

const broken = mkdtempSync(join(tmpdir(), "mash-cli-"));
cpSync(defaultPoliciesDir, broken, { recursive: true });
const healthFile = join(broken, "health.yaml");
const healthText = readFileSync(healthFile, "utf8");
if (!healthText.includes('GpPractice: "*"'))
  throw new Error("health.yaml changed: update this test's edit");
writeFileSync(healthFile, healthText.replace('GpPractice: "*"', 'GpPractise: "*"'));
afterAll(() => rmSync(broken, { recursive: true, force: true }));

describe("policy commands", () => {
  it("policies:check passes the shipped agreement and fails a broken one with file, line and rule", () => {
    const ok = run("check");
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/Policies OK: \d+ rules in 7 agency files/);
    const bad = run("check", "--dir", broken);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(
      /health\.yaml:\d+ rule health-own-records: type "GpPractise" is not an object or interface type/,
    );
  });

  it("policies:explain names the deciding rule and its reason", () => {
    const out = run(
      "explain",
      "--as",
      "sw.patel",
      "--enquiry",
      "ENQ-2001",
      ...NO_HUB,
      "Intelligence.summary",
    );
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(
      /if handlingCode = "C": WITHHELD by rule police-intelligence-handling-c \(police\.yaml:\d+\)/,
    );
    expect(out.stdout).toMatch(
      /if handlingCode = "P": VISIBLE by rule police-intelligence-handling-p/,
    );
    expect(out.stdout).toMatch(/assumed open and linking the person/);
    const none = run("explain", "--as", "pc.jones", "Subject.nhsNumber");
    expect(none.stdout).toMatch(/otherwise: WITHHELD by default-deny/);
    // A mutation no rule gives the role: the refusal names the roles it is given to.
    const refused = run("explain", "--as", "pc.jones", "Mutation.openEnquiry");
    expect(refused.stdout).toMatch(/WITHHELD by default-deny/);
    expect(refused.stdout).toMatch(
      /reason: The sharing agreement gives Mutation.openEnquiry only to social_worker, mash_manager and adult_social_worker\./,
    );
    const own = run("explain", "--role", "health_safeguarding_nurse", "MentalHealth.service");
    expect(own.stdout).toMatch(/VISIBLE by rule health-own-records/);
  });

  it("policies:explain refuses what it cannot answer, with usage", () => {
    expect(run("explain", "--as", "nobody", "Subject.name").stderr).toMatch(
      /No development user "nobody"/,
    );
    expect(run("explain", "--as", "sw.patel", "Subject.shoeSize").stderr).toMatch(
      /not a field of the supergraph/,
    );
    expect(run("explain", "--as", "sw.patel").status).toBe(2);
  });

  it("policies:matrix prints roles x fields as Markdown", () => {
    const out = run("matrix", "--agency", "police");
    expect(out.status).toBe(0);
    const lines = out.stdout.split("\n");
    expect(lines).toContain("## police (the police)");
    expect(lines.find((l) => l.startsWith("| Intelligence.summary |"))).toMatch(
      /^\| Intelligence\.summary \| always \| enquiry: if handlingCode = "P" \| enquiry: if handlingCode = "P" \| — \|/,
    );
    expect(lines.find((l) => l.startsWith("| PoliceSection.known |"))).toMatch(/\| — \|$/);
  });
});
