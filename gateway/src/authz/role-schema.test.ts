import { readFileSync } from "node:fs";
import { Supergraph } from "@apollo/federation-internals";
import type { ApolloGateway } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import {
  buildSchema,
  executeSync,
  type GraphQLSchema,
  getIntrospectionQuery,
  isObjectType,
  parse,
  validate,
  validateSchema,
} from "graphql";
import { describe, expect, it } from "vitest";
import { supergraphFile } from "../compose/schema-files.ts";
import { Authority } from "./ability.ts";
import type { AuthorizationContext } from "./authorization-context.ts";
import { AuthorizingGateway } from "./authorizing-gateway.ts";
import { introspectionIn } from "./introspection-in.ts";
import { defaultPoliciesDir, loadPolicyTexts, readPolicyDir } from "./policy/load.ts";
import { type MayGive, pruneSchema } from "./prune-schema.ts";
import { givenTo, MAX_ROLE_SETS, RoleSchemas } from "./role-schema.ts";
import { validationErrorsFor } from "./validation-errors-for.ts";

const supergraphSdl = readFileSync(supergraphFile, "utf8");
const api = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
const shipped = readPolicyDir(defaultPoliciesDir).files;

/** The shipped agreement, with the health file's text changed by `edit`. */
function authorityWith(edit: (health: string) => string = (t) => t): Authority {
  const files = shipped.map((f) => (f.name === "health.yaml" ? { ...f, text: edit(f.text) } : f));
  const { policy, problems } = loadPolicyTexts({ files, supergraphSdl });
  if (!policy) throw new Error(problems.map((p) => p.message).join("; "));
  return new Authority(policy);
}
const authority = authorityWith();

// Maternity only with break glass, for the manager (who may break it) and the social worker
// (who may not, so it can never apply to them).
const GLASS_ONLY = `
  - id: test-maternity-break-glass
    description: Test only.
    roles: [mash_manager, social_worker]
    requires: { enquiry: true, breakGlass: true }
    fields:
      HealthSection: [maternity]
      Maternity: "*"
    legalBasis: test
`;

const fieldsOf = (schema: GraphQLSchema, type: string): string[] | undefined => {
  const t = schema.getType(type);
  return isObjectType(t) ? Object.keys(t.getFields()) : undefined;
};
const schemaOf = (roles: string[], a = authority) => new RoleSchemas().schemaFor(api, a, roles);

describe("a role set's schema from the shipped agreement", () => {
  it("leaves out what no rule gives the role in any purpose, and keeps what one may", () => {
    const social = schemaOf(["social_worker"]);
    const police = schemaOf(["police_mash_officer"]);
    expect(fieldsOf(api, "Intelligence")).toContain("source");
    // A deny rule for everyone but the police: never given to a social worker.
    expect(fieldsOf(social, "Intelligence")).not.toContain("source");
    // Given only in an enquiry, and on handling code P: still in the schema.
    expect(fieldsOf(social, "Intelligence")).toEqual(
      expect.arrayContaining(["id", "summary", "grading"]),
    );
    expect(fieldsOf(police, "Intelligence")).toContain("source");
    // Only health sees maternity: the type is gone with the only field that leads to it.
    expect(social.getType("Maternity")).toBeUndefined();
    expect(fieldsOf(social, "HealthSection")).not.toContain("maternity");
    expect(schemaOf(["health_safeguarding_nurse"]).getType("Maternity")).toBeDefined();
    expect(fieldsOf(police, "SocialCareSection")).not.toContain("caseNotes");
    expect(police.getType("CaseNote")).toBeUndefined();
    // Arguments of kept fields stay, with their types.
    const search = social.getQueryType()?.getFields().searchSubjects;
    expect(search?.args.map((a) => a.name)).toEqual(
      api
        .getQueryType()
        ?.getFields()
        .searchSubjects?.args.map((a) => a.name),
    );
  });

  it("gives every practitioner role a valid schema, smaller than the API's", () => {
    const all = Object.keys(api.getTypeMap()).length;
    for (const [role, def] of authority.policy.roles) {
      if (def.governance) continue;
      const schema = schemaOf([role]);
      expect(validateSchema(schema), role).toEqual([]);
      expect(Object.keys(schema.getTypeMap()).length, role).toBeLessThan(all);
    }
  });

  it("gives a governance officer a query type with nothing in it, which still introspects", () => {
    const schema = schemaOf(["governance_officer"]);
    expect(fieldsOf(schema, "Query")).toEqual([]);
    expect(schema.getMutationType()).toBeUndefined();
    const own = Object.keys(schema.getTypeMap()).filter((n) => !n.startsWith("__"));
    expect(own.sort()).toEqual(["Boolean", "Query", "String"]);
    const result = executeSync({ schema, document: parse(getIntrospectionQuery()) });
    expect(result.errors).toBeUndefined();
  });

  it("counts break glass only for roles that may break it", () => {
    const glass = authorityWith((t) => t + GLASS_ONLY);
    expect(schemaOf(["mash_manager"]).getType("Maternity")).toBeUndefined();
    expect(schemaOf(["mash_manager"], glass).getType("Maternity")).toBeDefined();
    expect(fieldsOf(schemaOf(["mash_manager"], glass), "HealthSection")).toContain("maternity");
    expect(schemaOf(["social_worker"], glass).getType("Maternity")).toBeUndefined();
    // A role set is the union of its roles.
    expect(schemaOf(["social_worker", "mash_manager"], glass).getType("Maternity")).toBeDefined();
  });

  it("is cached per role set and policy version, and a new version changes it at once", () => {
    const schemas = new RoleSchemas();
    const first = schemas.schemaFor(api, authority, ["social_worker", "police_mash_officer"]);
    expect(schemas.schemaFor(api, authority, ["police_mash_officer", "social_worker"])).toBe(first);
    // Roles the agreement does not know change nothing.
    expect(
      schemas.schemaFor(api, authority, ["social_worker", "nobody", "police_mash_officer"]),
    ).toBe(first);
    const widened = authorityWith(
      (t) => t + GLASS_ONLY.replace("breakGlass: true", "breakGlass: false"),
    );
    expect(widened.policy.version).not.toBe(authority.policy.version);
    expect(
      schemas.schemaFor(api, authority, ["social_worker"]).getType("Maternity"),
    ).toBeUndefined();
    expect(schemas.schemaFor(api, widened, ["social_worker"]).getType("Maternity")).toBeDefined();
    expect(
      schemas.schemaFor(api, authority, ["social_worker"]).getType("Maternity"),
    ).toBeUndefined();
  });

  it(`keeps ${MAX_ROLE_SETS} role sets per version at most, dropping the least recently used`, () => {
    expect(MAX_ROLE_SETS).toBe(64);
    const schemas = new RoleSchemas({ maxRoleSets: 2 });
    const social = schemas.schemaFor(api, authority, ["social_worker"]);
    const police = schemas.schemaFor(api, authority, ["police_mash_officer"]);
    // A hit makes the social worker's the most recently used: the police officer's goes next.
    expect(schemas.schemaFor(api, authority, ["social_worker"])).toBe(social);
    const manager = schemas.schemaFor(api, authority, ["mash_manager"]);
    expect(schemas.schemaFor(api, authority, ["social_worker"])).toBe(social);
    expect(schemas.schemaFor(api, authority, ["mash_manager"])).toBe(manager);
    const rebuilt = schemas.schemaFor(api, authority, ["police_mash_officer"]);
    // Compared by identity: .not.toBe walks two whole schemas for its message.
    expect(rebuilt === police).toBe(false);
    // Rebuilt, it is the same schema.
    expect(Object.keys(rebuilt.getTypeMap()).sort()).toEqual(
      Object.keys(police.getTypeMap()).sort(),
    );
  });
});

// A graph of its own: interfaces, a union, and a type reached only through a hidden field.
const abstract = buildSchema(`
  type Query { media: [Media!]! search(term: String!, kind: Kind, filter: Filter): [Result!]! secret: Secret hidden(by: Hidden): Int }
  interface Media { id: ID! title: String }
  type Book implements Media { id: ID! title: String pages: Int }
  type Film implements Media { id: ID! title: String minutes: Int }
  type Author { name: String }
  type Poem { lines: Int }
  union Result = Book | Author | Poem
  type Secret { code: String }
  enum Kind { BOOK AUTHOR }
  input Filter { after: String }
  input Hidden { why: String }
`);
const members: Record<string, string[]> = { Media: ["Book", "Film"] };
const givenOnly =
  (coordinates: string[]): MayGive =>
  (type, field) =>
    (members[type] ?? [type]).some((t) => coordinates.includes(`${t}.${field}`));

describe("pruning interfaces, unions and what only hidden fields reach", () => {
  const schema = pruneSchema(
    abstract,
    givenOnly([
      "Query.media",
      "Query.search",
      "Book.id",
      "Book.title",
      "Author.name",
      "Secret.code",
    ]),
  );

  it("keeps an interface field some implementation may be given, on every implementation", () => {
    expect(validateSchema(schema)).toEqual([]);
    expect(fieldsOf(schema, "Book")).toEqual(["id", "title"]);
    // Film.title is never given, but Media says every Film has one: showing it tells nothing more.
    expect(fieldsOf(schema, "Film")).toEqual(["id", "title"]);
    const media = schema.getType("Media");
    expect(media && "getFields" in media && Object.keys(media.getFields())).toEqual([
      "id",
      "title",
    ]);
  });

  it("drops union members with nothing given, and types only a removed field reaches", () => {
    const result = schema.getType("Result");
    expect(result && "getTypes" in result && result.getTypes().map((t) => t.name)).toEqual([
      "Book",
      "Author",
    ]);
    expect(schema.getType("Poem")).toBeUndefined();
    expect(schema.getType("Secret")).toBeUndefined();
    expect(schema.getType("Hidden")).toBeUndefined();
    expect(schema.getType("Kind")).toBeDefined();
    expect(schema.getType("Filter")).toBeDefined();
  });

  it("removes a field whose type has nothing left, and an interface that loses every field", () => {
    const none = pruneSchema(abstract, givenOnly(["Query.media", "Query.secret", "Query.hidden"]));
    expect(fieldsOf(none, "Query")).toEqual(["hidden"]);
    expect(none.getType("Media")).toBeUndefined();
    expect(none.getType("Hidden")).toBeDefined();
  });

  it("takes an interface field from every implementation once no implementation can show it", () => {
    const graph = buildSchema(`
      type Query { items: [Item] }
      interface Item { id: ID f: Shown }
      type Kept implements Item { id: ID f: Shown }
      type Lost implements Item { id: ID f: Empty }
      type Shown { a: Int }
      type Empty { b: Int }
    `);
    members.Item = ["Kept", "Lost"];
    try {
      // Item.f is given through Lost only, and Lost.f leads to a type with nothing given.
      const pruned = pruneSchema(
        graph,
        givenOnly(["Query.items", "Kept.id", "Lost.id", "Lost.f", "Shown.a"]),
      );
      expect(validateSchema(pruned)).toEqual([]);
      expect(fieldsOf(pruned, "Kept")).toEqual(["id"]);
      expect(fieldsOf(pruned, "Lost")).toEqual(["id"]);
      expect(pruned.getType("Shown")).toBeUndefined();
      expect(pruned.getType("Empty")).toBeUndefined();
    } finally {
      delete members.Item;
    }
  });

  it("judges an interface field by its implementations when given through givenTo", () => {
    const stub = {
      policy: { possibleTypes: new Map([["Media", ["Book", "Film"]]]) },
      mayBreakGlass: () => false,
      ability: () => ({}),
      mayAllow: (_: unknown, type: string, field: string) => `${type}.${field}` === "Film.title",
    } as unknown as Authority;
    const given = givenTo(stub, ["any"]);
    expect(given("Media", "title")).toBe(true);
    expect(given("Media", "id")).toBe(false);
    expect(given("Book", "title")).toBe(false);
  });
});

describe("introspection and validation errors follow the role schema", () => {
  it("tells an operation that reads only the schema from one that mixes it with data", () => {
    expect(introspectionIn(parse("{ __schema { queryType { name } } __typename }"), null)).toBe(
      "only",
    );
    expect(
      introspectionIn(
        parse('query A { ...F } fragment F on Query { __type(name: "X") { name } }'),
        "A",
      ),
    ).toBe("only");
    expect(
      introspectionIn(
        parse('{ ... on Query { __schema { types { name } } } subject(id: "1") { id } }'),
        null,
      ),
    ).toBe("mixed");
    expect(introspectionIn(parse('{ __typename subject(id: "1") { id } }'), null)).toBe("none");
  });

  const social = schemaOf(["social_worker"]);
  const errorsOf = (query: string) => {
    const document = parse(query);
    return validationErrorsFor(api, social, document, validate(api, document)).map(
      (e) => e.message,
    );
  };
  const inEnquiry = (selection: string) =>
    `{ subject(id: "S-1001") { police { intelligence { id ${selection} } } health { known } } }`;

  it("suggests only names the role may be given: a hidden name reads as a nonsense one", () => {
    expect(validate(api, parse(inEnquiry("sourc")))[0]?.message).toMatch(/Did you mean "source"/);
    const hidden = errorsOf(inEnquiry("sourc"));
    const nonsense = errorsOf(inEnquiry("qqqqq"));
    expect(hidden).toHaveLength(1);
    expect(hidden).toEqual(nonsense.map((m) => m.replace("qqqqq", "sourc")));
    // A misspelling of a field the role may be given is still helped.
    expect(errorsOf(inEnquiry("summar"))[0]).toMatch(/Did you mean "summary"/);
    // In a document that fails anyway, a hidden name is as unknown as a nonsense one.
    const exact = errorsOf('{ subject(id: "S-1001") { health { maternity { booked } } } zzzz }');
    const made = errorsOf('{ subject(id: "S-1001") { health { qqqqqqqqq { booked } } } zzzz }');
    expect(exact).toEqual(made.map((m) => m.replace("qqqqqqqqq", "maternity")));
    expect(errorsOf('{ subject(id: "1") { ... on Maternit { id } } }')[0]).not.toMatch(/Maternity/);
  });

  it("rewrites the errors Apollo Server sends, from the requester's roles", async () => {
    const gateway = new AuthorizingGateway({} as ApolloGateway, () => authority);
    const server = new ApolloServer<AuthorizationContext>({
      schema: api,
      plugins: [gateway.validationPlugin()],
    });
    await server.start();
    try {
      const as = async (roles: string[]) => {
        const contextValue = {
          authorization: { roles, agency: undefined, enquiry: undefined, breakGlass: false },
        } as unknown as AuthorizationContext;
        const response = await server.executeOperation(
          { query: inEnquiry("sourc") },
          { contextValue },
        );
        if (response.body.kind !== "single") throw new Error("expected one result");
        return response.body.singleResult.errors?.map((e) => e.message) ?? [];
      };
      expect((await as(["social_worker"]))[0]).not.toMatch(/Did you mean/);
      expect((await as(["police_mash_officer"]))[0]).toMatch(/Did you mean "source"/);
    } finally {
      await server.stop();
    }
  });
});
