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
// The shipped agreement with no contact point for the police: it loads, with a warning.
const noContact = mkdtempSync(join(tmpdir(), "mash-cli-"));
cpSync(defaultPoliciesDir, noContact, { recursive: true });
const rolesFile = join(noContact, "roles.yaml");
const rolesText = readFileSync(rolesFile, "utf8");
const policeContact = /( {4}subgraphs: \[police\]\n) {4}contact:\n(?: {6}.*\n)+/;
if (!policeContact.test(rolesText)) throw new Error("roles.yaml changed: update this test's edit");
writeFileSync(rolesFile, rolesText.replace(policeContact, "$1"));
afterAll(() => {
  rmSync(broken, { recursive: true, force: true });
  rmSync(noContact, { recursive: true, force: true });
});

describe("policy commands", () => {
  it("policies:check passes the shipped agreement and fails a broken one with file, line and rule", () => {
    const ok = run("check");
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/Policies OK: \d+ rules in 7 agency files/);
    expect(ok.stdout).not.toMatch(/Note:/);
    const bad = run("check", "--dir", broken);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(
      /health\.yaml:\d+ rule health-own-records: type "GpPractise" is not an object or interface type/,
    );
  });

  it("policies:check notes an agency owning fields with no contact point, and passes", () => {
    const out = run("check", "--dir", noContact);
    expect(out.status).toBe(0);
    expect(out.stderr).toBe("");
    expect(out.stdout.split("\n").slice(1)).toEqual([
      'Note: roles.yaml agency "police" has no contact: its withheld fields will not say whom to ask.',
      "",
    ]);
  });

  it("policies:explain names the owner's contact point", () => {
    const out = run("explain", "--as", "sw.patel", "MentalHealth.service");
    expect(out.stdout).toMatch(
      /^MentalHealth\.service \(owned by health\) for sw\.patel.*\nContact point: Health safeguarding nurse \(MASH\), 01632 960003, mash\.health@example\.invalid\n/,
    );
    const none = run("explain", "--dir", noContact, "--as", "sw.patel", "Intelligence.summary");
    expect(none.stdout).toMatch(/Contact point: none \(roles\.yaml names no contact for police\)/);
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
    expect(lines).toContain(
      "Withheld fields name: Police MASH desk, 01632 960001, mash.police@example.invalid.",
    );
    expect(lines.find((l) => l.startsWith("| Intelligence.summary |"))).toMatch(
      /^\| Intelligence\.summary \| always \| enquiry: if handlingCode = "P" \| enquiry: if handlingCode = "P" \| — \|/,
    );
    expect(lines.find((l) => l.startsWith("| PoliceSection.known |"))).toMatch(/\| — \|$/);
  });
});
