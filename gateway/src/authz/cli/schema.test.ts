import { spawnSync } from "node:child_process";
import { appendFileSync, cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSchema, type GraphQLSchema, isObjectType, parse, validateSchema } from "graphql";
import { afterAll, describe, expect, it } from "vitest";
import { defaultPoliciesDir } from "../policy/load.ts";

const root = fileURLToPath(new URL("../../../../", import.meta.url));
const { MASH_POLICIES_DIR: _outer, ...inherited } = process.env;
const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ["--import", "tsx", "gateway/src/authz/cli/schema.ts", ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...inherited, ...env },
  });
const sdlOf = (args: string[], env?: Record<string, string>): GraphQLSchema => {
  const out = run(args, env);
  expect(out.stderr).toBe("");
  expect(out.status).toBe(0);
  return buildSchema(out.stdout);
};
const fieldsOf = (schema: GraphQLSchema, type: string) => {
  const t = schema.getType(type);
  return isObjectType(t) ? Object.keys(t.getFields()) : undefined;
};

// The shipped agreement, with maternity given to social workers in an enquiry.
const widened = mkdtempSync(join(tmpdir(), "mash-schema-cli-"));
cpSync(defaultPoliciesDir, widened, { recursive: true });
appendFileSync(
  join(widened, "health.yaml"),
  `
  - id: test-maternity-for-social-workers
    description: Test only.
    roles: [social_worker]
    requires: { enquiry: true }
    fields:
      HealthSection: [maternity]
      Maternity: "*"
    legalBasis: test
`,
);
afterAll(() => rmSync(widened, { recursive: true, force: true }));

describe("npm run schema", () => {
  it("prints a role set's SDL: what its roles can ever be given, valid for a frontend to build on", () => {
    const social = sdlOf(["--roles", "social_worker"]);
    expect(validateSchema(social)).toEqual([]);
    expect(fieldsOf(social, "Intelligence")).not.toContain("source");
    expect(social.getType("Maternity")).toBeUndefined();
    expect(fieldsOf(sdlOf(["--roles", "police_mash_officer"]), "Intelligence")).toContain("source");
    // A role set is judged as a request with those roles is: each role's grants, and the rule
    // written last decides, so the sources rule that denies social workers wins for the pair.
    const both = sdlOf(["--roles", "social_worker, police_mash_officer"]);
    expect(fieldsOf(both, "Intelligence")).not.toContain("source");
    expect(fieldsOf(both, "Intelligence")).toContain("handlingCode");
    expect(fieldsOf(both, "Mutation")).toContain("openEnquiry");
  });

  it("shows the chronology the gateway serves, as a request's introspection does", () => {
    const social = sdlOf(["--roles", "social_worker"]);
    expect(fieldsOf(social, "Subject")).toContain("chronology");
    expect(fieldsOf(social, "ChronologyEntry")).toEqual(["at", "agency", "item"]);
  });

  it("reads the policies from --dir or MASH_POLICIES_DIR", () => {
    expect(
      sdlOf(["--roles", "social_worker", "--dir", widened]).getType("Maternity"),
    ).toBeDefined();
    expect(
      sdlOf(["--roles", "social_worker"], { MASH_POLICIES_DIR: widened }).getType("Maternity"),
    ).toBeDefined();
  });

  it("says when the roles are given nothing", () => {
    const out = run(["--roles", "governance_officer"]);
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/gives these roles nothing on \/graphql/);
    const types = parse(out.stdout).definitions.map((d) => ("name" in d ? d.name?.value : d.kind));
    expect(types).toEqual(["Query"]);
  });

  it("refuses unknown roles, bad flags and a missing supergraph with exit 2 and usage", () => {
    const unknown = run(["--roles", "social_worker,wizard,sorcerer"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/No roles "wizard", "sorcerer" in roles\.yaml/);
    expect(unknown.stderr).toMatch(/Usage: npm run schema -- --roles/);
    expect(unknown.stdout).toBe("");
    const none = run([]);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/Name the roles/);
    expect(run(["--roles", " , "]).status).toBe(2);
    const flag = run(["--role", "social_worker"]);
    expect(flag.status).toBe(2);
    expect(flag.stderr).toMatch(/Unknown option '--role'/);
    expect(run(["--roles", "social_worker", "extra"]).status).toBe(2);
    const missing = run(["--roles", "social_worker", "--supergraph", join(widened, "nope")]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/Cannot read the supergraph/);
  });
});
