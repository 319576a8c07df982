import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { createAuditCollector } from "../audit/collect.ts";
import { filterResult } from "./filter.ts";
import {
  authority,
  fetched,
  LIST,
  outcome,
  people,
  requests,
  SHAPES,
  schema,
  shipped,
  variablesFor,
} from "./filter-pass.test-support.ts";
import { runCompiledPass } from "./filter-pass.ts";
import { compileOperation } from "./filter-plan.ts";
import { createJudge, type Judge, type RequestAuthorization } from "./judge.ts";
import { rewriteForAuthorization } from "./rewrite.ts";

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

  it("coerces an argument per request unless it is a variable declared non-null", () => {
    const judge = createJudge(authority, requests[0] as RequestAuthorization);
    const pass = (query: string, variables: Record<string, unknown>) => {
      const compiled = compileOperation(schema, parse(query), undefined, judge.key);
      if (!compiled) throw new Error("not compiled");
      const collect = createAuditCollector((t, f) => judge.ownerOf(t, f));
      const data = { subject: { id: "S-1001", _authz_Subject__id: "S-1001" } };
      return runCompiledPass({ compiled, variables, data, judge, collect });
    };
    // A nullable variable with a default may be sent as null: graphql-js then refuses the
    // non-null argument, and so the pass leaves it to re-execution.
    const nullable = 'query($id: ID = "S-1001") { subject(id: $id) { id } }';
    expect(pass(nullable, { id: null })).toBeUndefined();
    expect(pass(nullable, {})).toEqual({ data: { subject: { id: "S-1001" } } });
    // Declared non-null, the coerced variable is the argument: nothing left to refuse.
    const required = "query($id: ID!) { subject(id: $id) { id } }";
    expect(pass(required, { id: "S-1001" })).toEqual({ data: { subject: { id: "S-1001" } } });
    expect(pass(required, { id: null })).toBeUndefined();
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
