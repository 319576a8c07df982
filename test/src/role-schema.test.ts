import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  buildClientSchema,
  type GraphQLSchema,
  getIntrospectionQuery,
  type IntrospectionQuery,
  isObjectType,
} from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultPoliciesDir } from "../../gateway/src/authz/policy/load.ts";
import { startSystem, type TestSystem } from "./system.ts";

// Each role's schema, read as the console's docs explorer reads it: the introspection query
// GraphiQL sends, with the signed-in user's token and no purpose (console/fetcher.ts).
describe("each role's schema, through the gateway", () => {
  let system: TestSystem;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "mash-role-schema-"));
    cpSync(defaultPoliciesDir, dir, { recursive: true });
    system = await startSystem({ subjects: 20, policiesDir: dir });
  });
  afterAll(async () => {
    await system?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const introspect = async (as: string): Promise<GraphQLSchema> => {
    const { status, body } = await system.query<IntrospectionQuery>(
      getIntrospectionQuery(),
      {},
      { as },
    );
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    return buildClientSchema(body.data as IntrospectionQuery);
  };
  const fieldsOf = (schema: GraphQLSchema, type: string) => {
    const t = schema.getType(type);
    return isObjectType(t) ? Object.keys(t.getFields()) : undefined;
  };

  it("shows each role what the agreement can ever give it, and nothing else", async () => {
    const social = await introspect("sw.patel");
    const police = await introspect("pc.jones");
    const nurse = await introspect("nurse.evans");
    expect(fieldsOf(police, "Intelligence")).toContain("source");
    expect(fieldsOf(social, "Intelligence")).toEqual(expect.arrayContaining(["id", "summary"]));
    expect(fieldsOf(social, "Intelligence")).not.toContain("source");
    expect(social.getType("Maternity")).toBeUndefined();
    expect(police.getType("Maternity")).toBeUndefined();
    expect(nurse.getType("Maternity")).toBeDefined();
    expect(fieldsOf(social, "SocialCareSection")).toContain("caseNotes");
    expect(fieldsOf(police, "SocialCareSection")).not.toContain("caseNotes");
    expect(fieldsOf(social, "Mutation")).toContain("openEnquiry");
    expect(fieldsOf(police, "Mutation")).not.toContain("openEnquiry");
  });

  it("shows a governance officer nothing of subject data", async () => {
    const officer = await introspect("ig.police");
    expect(fieldsOf(officer, "Query")).toEqual([]);
    expect(officer.getMutationType()).toBeFalsy();
    const types = Object.keys(officer.getTypeMap()).filter((n) => !n.startsWith("__"));
    expect(types.sort()).toEqual(["Boolean", "Query", "String"]);
  });

  it("answers __type from the requester's schema too", async () => {
    const query = "query Type($name: String!) { __type(name: $name) { name fields { name } } }";
    const asked = async (as: string, name: string) =>
      (
        await system.query<{ __type: { fields: { name: string }[] } | null }>(
          query,
          { name },
          { as },
        )
      ).body.data?.__type;
    expect(await asked("sw.patel", "Maternity")).toBeNull();
    expect(await asked("nurse.evans", "Maternity")).not.toBeNull();
    expect((await asked("sw.patel", "Intelligence"))?.fields.map((f) => f.name)).not.toContain(
      "source",
    );
    expect(await asked("ig.police", "Subject")).toBeNull();
  });

  it("refuses an operation that mixes the schema with data", async () => {
    const { status, body } = await system.query(
      '{ __schema { queryType { name } } subject(id: "S-1001") { name { given } } }',
      {},
      { as: "sw.patel" },
    );
    expect(status).toBe(400);
    expect(body.data ?? null).toBeNull();
    expect(body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(body.errors?.[0]?.message).toMatch(/__schema or __type in an operation of its own/);
  });

  it("still withholds, rather than refuses, a field the role's schema leaves out (the contract)", async () => {
    const { status, body } = await system.query(
      '{ subject(id: "S-1001") { socialCare { openCase caseNotes { id } } } }',
      {},
      { as: "pc.jones", enquiry: "ENQ-2001" },
    );
    expect(status).toBe(200);
    expect(body.errors?.map((e) => [e.path?.join("."), e.extensions?.code])).toEqual([
      ["subject.socialCare.caseNotes", "UNAUTHORIZED_FIELD_OR_TYPE"],
    ]);
  });

  it("suggests in validation errors only names the requester's schema holds", async () => {
    const inEnquiry = (name: string) =>
      `{ subject(id: "S-1001") { police { intelligence { id ${name} } } } }`;
    const messages = async (as: string, query: string) => {
      const { status, body } = await system.query(query, {}, { as });
      expect(status).toBe(400);
      return (body.errors ?? []).map((e) => e.message);
    };
    expect((await messages("pc.jones", inEnquiry("sourc")))[0]).toMatch(/Did you mean "source"/);
    const hidden = await messages("sw.patel", inEnquiry("sourc"));
    const nonsense = await messages("sw.patel", inEnquiry("qqqqq"));
    expect(hidden).toHaveLength(1);
    expect(hidden).toEqual(nonsense.map((m) => m.replace("qqqqq", "sourc")));
    const type = await messages("sw.patel", '{ subject(id: "1") { ... on Maternit { id } } }');
    expect(type.join(" ")).not.toMatch(/Maternity/);
    expect(
      (await messages("nurse.evans", '{ subject(id: "1") { health { maternit } } }'))[0],
    ).toMatch(/Did you mean "maternity"/);
  });

  it("changes a role's schema as soon as a new policy is in force", async () => {
    const file = join(dir, "health.yaml");
    const original = readFileSync(file, "utf8");
    try {
      appendFileSync(
        file,
        [
          "",
          "  - id: test-maternity-for-social-workers",
          "    description: Test only.",
          "    roles: [social_worker]",
          "    requires: { enquiry: true }",
          "    fields:",
          "      HealthSection: [maternity]",
          '      Maternity: "*"',
          "    legalBasis: test",
          "",
        ].join("\n"),
      );
      expect(system.gateway.policies.reload()).toBe(true);
      expect((await introspect("sw.patel")).getType("Maternity")).toBeDefined();
      expect((await introspect("pc.jones")).getType("Maternity")).toBeUndefined();
    } finally {
      writeFileSync(file, original);
      system.gateway.policies.reload();
    }
    expect((await introspect("sw.patel")).getType("Maternity")).toBeUndefined();
  });
});
