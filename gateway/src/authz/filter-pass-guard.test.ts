import { parse } from "graphql";
import { describe, expect, it, vi } from "vitest";
import { createAuditCollector } from "../audit/collect.ts";
import * as coercion from "./coerce-variables.ts";
import { authority, requests, schema } from "./filter-pass.test-support.ts";
import { runCompiledPass } from "./filter-pass.ts";
import { compileOperation } from "./filter-plan.ts";
import { createJudge, type RequestAuthorization } from "./judge.ts";

// The coercion the pass runs, with one answer changed per test: what a code-defined scalar whose
// parseValue gives null would make of a non-null variable (the shipped schema has none).
vi.mock("./coerce-variables.ts", async (original) => {
  const real = await original<typeof import("./coerce-variables.ts")>();
  return { ...real, coerceVariables: vi.fn(real.coerceVariables) };
});

describe("the compiled pass's guard on variables declared non-null", () => {
  const judge = createJudge(authority, requests[0] as RequestAuthorization);
  const pass = (variables: Record<string, unknown>) => {
    const compiled = compileOperation(
      schema,
      parse("query($id: ID!) { subject(id: $id) { id } }"),
      undefined,
      judge.key,
    );
    if (!compiled) throw new Error("not compiled");
    const collect = createAuditCollector((t, f) => judge.ownerOf(t, f));
    const data = { subject: { id: "S-1001", _authz_Subject__id: "S-1001" } };
    return runCompiledPass({ compiled, variables, data, judge, collect });
  };

  it("judges the answer when the variable coerced to a value", () => {
    expect(pass({ id: "S-1001" })).toEqual({ data: { subject: { id: "S-1001" } } });
  });

  it("leaves to re-execution a non-null variable that coerced to null or to nothing", () => {
    for (const coerced of [{ id: null }, {}]) {
      vi.mocked(coercion.coerceVariables).mockReturnValueOnce(coerced);
      expect(pass({ id: "S-1001" })).toBeUndefined();
    }
  });
});
