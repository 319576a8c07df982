import { readdirSync, readFileSync } from "node:fs";
import { Supergraph } from "@apollo/federation-internals";
import { prng } from "@mash/kit";
import {
  type DocumentNode,
  type ExecutionResult,
  execute,
  type GraphQLError,
  type GraphQLInputType,
  type GraphQLNamedType,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  Kind,
  parse,
  typeFromAST,
} from "graphql";
import { describe, expect, it } from "vitest";
import { auditEntry, createAuditCollector } from "../audit/collect.ts";
import { composeSupergraph } from "../compose/compose.ts";
import { readSchemaFiles } from "../compose/schema-files.ts";
import { Authority } from "./ability.ts";
import { filterResult } from "./filter.ts";
import { runCompiledPass } from "./filter-pass.ts";
import { compileOperation } from "./filter-plan.ts";
import { filterSchemaOf } from "./filter-schema.ts";
import { createJudge, type Judge, type RequestAuthorization } from "./judge.ts";
import { loadPolicyTexts, readPolicyDir } from "./policy/load.ts";
import { rewriteForAuthorization } from "./rewrite.ts";

// The shipped agreement over the schema as it is now, as the gateway serves it.
const sdl = composeSupergraph(readSchemaFiles());
const { policy, problems } = loadPolicyTexts({
  files: readPolicyDir(new URL("../../../policies", import.meta.url).pathname).files,
  supergraphSdl: sdl,
});
if (!policy) throw new Error(problems.map((p) => p.message).join("\n"));
const authority = new Authority(policy);
const api = Supergraph.build(sdl).apiSchema().toGraphQLJSSchema();
const schema = filterSchemaOf(api);

const operationsDir = new URL("../../operations/", import.meta.url);
const shipped = readdirSync(operationsDir)
  .filter((f) => f.endsWith(".graphql"))
  .map((f) => readFileSync(new URL(f, operationsDir), "utf8"));
const LIST = `query List($ids: [ID!]!) { subjects(ids: $ids) { id name { given family } dateOfBirth
  address { postcode } police { known incidents { id category } } socialCare { known openCase }
  health { known gpPractice { name } } education { known attendancePercent } probation { known
  mappaLevel } adultSocialCare { known } } }`;
// Fragments, aliases merged and not, @skip/@include from variables and literals, __typename.
const SHAPES = `query Shapes($id: ID!, $more: Boolean!, $less: Boolean = false) {
  a: subject(id: $id) { ...Person police @include(if: $more) { intelligence { ...Intel } known }
    __typename sealed @skip(if: $less) }
  b: subject(id: $id) { id name { given } name { family } police { incidents { id } incidents { category summary } } }
  subject(id: $id) @skip(if: true) { id }
}
fragment Person on Subject { id given: name { given } police { warningMarkers intelligence { id } } }
fragment Intel on Intelligence { __typename handlingCode summary grading ... on Intelligence { source } }`;

const people = ["S-1001", "S-1002", "S-1003", "S-2001", "S-3002", "S-4003"];
const enquiry = (agency: string) => ({
  id: "ENQ-1",
  open: true,
  subjects: new Set(people.slice(0, 3)),
  participants: new Set([agency]),
});
const requests: RequestAuthorization[] = [
  {
    roles: ["mash_manager"],
    agency: "childrens-services",
    enquiry: enquiry("childrens-services"),
    breakGlass: false,
  },
  {
    roles: ["social_worker"],
    agency: "childrens-services",
    enquiry: enquiry("childrens-services"),
    breakGlass: false,
  },
  {
    roles: ["police_mash_officer"],
    agency: "police",
    enquiry: enquiry("police"),
    breakGlass: false,
  },
  { roles: ["health_safeguarding_nurse"], agency: "health", enquiry: undefined, breakGlass: false },
  { roles: ["social_worker"], agency: "childrens-services", enquiry: undefined, breakGlass: false },
];

/** Values for an operation's variables, of their types (input objects with their required fields). */
function variablesFor(document: DocumentNode, seed: number): Record<string, unknown> {
  const rng = prng(seed);
  const value = (type: GraphQLInputType): unknown => {
    if (isNonNullType(type)) return value(type.ofType);
    if (isListType(type))
      return people.slice(0, rng.int(1, people.length)).map(() => value(type.ofType));
    if (isInputObjectType(type))
      return Object.fromEntries(
        Object.values(type.getFields())
          .filter((f) => isNonNullType(f.type) || rng.chance(0.5))
          .map((f) => [f.name, value(f.type)]),
      );
    if (isEnumType(type)) return rng.pick(type.getValues()).name;
    if (type.name === "Boolean") return rng.chance(0.5);
    if (type.name === "Int") return rng.int(1, 9);
    if (type.name === "Float") return 1.5;
    if (type.name === "ID" || type.name === "String") return rng.pick(people);
    return "2024-05-01";
  };
  const vars: Record<string, unknown> = {};
  for (const def of document.definitions)
    if (def.kind === Kind.OPERATION_DEFINITION)
      for (const v of def.variableDefinitions ?? [])
        vars[v.variable.name.value] = value(
          typeFromAST(schema, v.type as never) as GraphQLInputType,
        );
  return vars;
}

/** Data shaped as ApolloGateway returns it for the rewritten document: seeded, sometimes null. */
function fetched(document: DocumentNode, variables: Record<string, unknown>, seed: number) {
  const rng = prng(seed);
  const leaf = (type: GraphQLNamedType) => {
    if (isEnumType(type)) return rng.pick(type.getValues()).value;
    switch (type.name) {
      case "ID":
      case "String":
        return rng.pick([...people, "C", "P", "X", "E", "some text"]);
      case "Boolean":
        return rng.chance(0.5);
      case "Int":
        return rng.int(0, 9);
      case "Float":
        return rng.int(0, 100) / 4;
      default:
        return "2024-05-01";
    }
  };
  return execute({
    schema,
    document,
    variableValues: variables,
    fieldResolver: (_source, _args, _context, info) => {
      const type = info.returnType;
      if (!isNonNullType(type) && rng.chance(0.1)) return null;
      const named = getNamedType(type);
      const inner = isNonNullType(type) ? type.ofType : type;
      const one = () => (isLeafType(named) ? leaf(named) : {});
      if (isListType(inner)) return Array.from({ length: rng.int(0, 3) }, one);
      return one();
    },
    typeResolver: (_value, _context, _info, abstract) =>
      rng.pick(schema.getPossibleTypes(abstract)).name,
  }) as ExecutionResult;
}

/** What the client and the access log get: the answer as Apollo serialises it, and the record. */
function outcome(result: ExecutionResult, collector: ReturnType<typeof createAuditCollector>) {
  const errors = result.errors?.map((e) => (e as GraphQLError).toJSON());
  const entry = auditEntry({
    context: { requestId: "r", principal: undefined as never, enquiryId: "ENQ-1" } as never,
    answered: {
      operationName: null,
      queryText: "q",
      collected: collector,
      hasErrors: (result.errors?.length ?? 0) > 0,
      hasData: result.data != null,
      withheldByAgency: new Map(),
    },
    now: new Date(0),
  });
  return JSON.stringify({ ...result, ...(errors ? { errors } : {}) }) + JSON.stringify(entry);
}

function both(
  query: string,
  variables: Record<string, unknown>,
  request: RequestAuthorization,
  seed: number,
) {
  const judge: Judge = createJudge(authority, request);
  const document = parse(query);
  const result = fetched(rewriteForAuthorization(schema, document, judge), variables, seed);
  const slowCollector = createAuditCollector((t, f) => judge.ownerOf(t, f));
  const slow = filterResult({
    schema,
    document,
    operationName: undefined,
    variables,
    result,
    judge,
    collect: slowCollector,
  });
  const compiled = compileOperation(schema, document, undefined, judge.key);
  const fastCollector = createAuditCollector((t, f) => judge.ownerOf(t, f));
  const fast =
    compiled && result.data
      ? runCompiledPass({
          compiled,
          variables,
          data: result.data as Record<string, unknown>,
          judge,
          collect: fastCollector,
        })
      : undefined;
  return {
    slow: outcome(slow, slowCollector),
    fast: fast && outcome(fast, fastCollector),
    errors: slow.errors?.length ?? 0,
    fetched: result.data != null,
  };
}

describe("the compiled result pass", () => {
  it("answers every shipped operation exactly as re-execution does, record included", () => {
    let answered = 0;
    let withheld = 0;
    let runs = 0;
    for (const [i, query] of [...shipped, LIST, SHAPES].entries())
      for (const [j, request] of requests.entries())
        for (let seed = 1; seed <= 6; seed++) {
          const vars = variablesFor(parse(query), seed);
          const { slow, fast, errors, fetched } = both(
            query,
            vars,
            request,
            i * 100 + j * 10 + seed,
          );
          if (!fetched) continue;
          runs++;
          // Left to re-execution only where graphql-js answers with an error of its own.
          if (fast === undefined) continue;
          expect(fast).toBe(slow);
          answered++;
          withheld += errors;
        }
    // Most runs are answered by the pass, with withheld fields among them.
    expect(runs).toBeGreaterThan(400);
    expect(answered).toBeGreaterThan(runs * 0.6);
    expect(withheld).toBeGreaterThan(100);
  });

  it("answers the list of people outside the enquiry without re-execution", () => {
    for (const [j, request] of requests.entries()) {
      const { slow, fast } = both(LIST, { ids: people }, request, 7 + j);
      expect(fast).toBe(slow);
    }
  });

  it("leaves to re-execution what graphql-js would refuse: a null in a non-null field, a bad enum", () => {
    const request = requests[0] as RequestAuthorization;
    const judge = createJudge(authority, request);
    const run = (query: string, data: Record<string, unknown>) => {
      const compiled = compileOperation(schema, parse(query), undefined, judge.key);
      if (!compiled) throw new Error("not compiled");
      const collect = createAuditCollector((t, f) => judge.ownerOf(t, f));
      return runCompiledPass({ compiled, variables: { id: "S-1001" }, data, judge, collect });
    };
    const query = "query($id: ID!) { subject(id: $id) { id police { known } } }";
    const person = { id: "S-1001", _authz_Subject__id: "S-1001" };
    expect(run(query, { subject: { ...person, police: { known: true } } })).toBeDefined();
    expect(run(query, { subject: { ...person, id: null, police: null } })).toBeUndefined();
    expect(run(query, { subject: { ...person, police: [] } })).toBeUndefined();
    expect(
      run("query($id: ID!) { subject(id: $id) { id police { incidents { category } } } }", {
        subject: { ...person, police: { incidents: [{ category: "NOT_A_CATEGORY" }] } },
      }),
    ).toBeUndefined();
    // Variables that do not coerce are graphql-js's refusal too.
    const compiled = compileOperation(schema, parse(query), undefined, judge.key);
    expect(
      compiled &&
        runCompiledPass({
          compiled,
          variables: {},
          data: { subject: null },
          judge,
          collect: createAuditCollector((t, f) => judge.ownerOf(t, f)),
        }),
    ).toBeUndefined();
  });

  it("leaves to re-execution a document whose operation it cannot choose, and root introspection", () => {
    const judge = createJudge(authority, requests[0] as RequestAuthorization);
    const two = parse("{ a: __typename } { b: __typename }");
    expect(compileOperation(schema, two, null, judge.key)).toBeUndefined();
    const named = parse("query A { __typename } query B { __typename }");
    expect(compileOperation(schema, named, null, judge.key)).toBeUndefined();
    expect(compileOperation(schema, named, "B", judge.key)).toBeDefined();
    expect(compileOperation(schema, named, "C", judge.key)).toBeUndefined();
    expect(compileOperation(schema, parse("{ __proto__: __typename }"), null, "k")).toBeUndefined();
    const introspection = compileOperation(
      schema,
      parse("{ __schema { queryType { name } } }"),
      null,
      judge.key,
    );
    expect(introspection).toBeDefined();
    expect(
      runCompiledPass({
        compiled: introspection as NonNullable<typeof introspection>,
        variables: undefined,
        data: { __schema: { queryType: { name: "Query" } } },
        judge,
        collect: createAuditCollector((t, f) => judge.ownerOf(t, f)),
      }),
    ).toBeUndefined();
  });
});
