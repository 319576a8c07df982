import { isValidLeafValue, operationFromDocument, Supergraph } from "@apollo/federation-internals";
import * as resultShaping from "@apollo/gateway/dist/resultShaping.js";
import { prng } from "@mash/kit";
import { type ExecutionResult, getNamedType, isLeafType, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { createAuditCollector } from "../audit/collect.ts";
import { filterResult } from "./filter.ts";
import {
  authority,
  fetched,
  LIST,
  outcome,
  requests,
  SHAPES,
  schema,
  sdl,
  shipped,
  variablesFor,
} from "./filter-pass.test-support.ts";
import { runCompiledPass } from "./filter-pass.ts";
import { compileOperation } from "./filter-plan.ts";
import { createJudge } from "./judge.ts";
import { validLeaf } from "./raw-checks.ts";
import { helperAlias, rewriteForAuthorization, TYPENAME_ALIAS } from "./rewrite.ts";

type Row = Record<string, unknown>;
const apiFI = Supergraph.build(sdl).apiSchema();
// Unmarked requests pass straight through the hook to Apollo's own shaping.
const computeResponse = (
  resultShaping as unknown as {
    default: { computeResponse: (args: object) => { data: unknown; errors: unknown[] } };
  }
).default.computeResponse;

/**
 * The merged data as Apollo's fetches leave it, before its shaping: the planner's `__typename`
 * on abstract values and fields no one asked for (keys, requires), and, for some seeds, damage a
 * subgraph could do: a null or a missing field, a leaf of the wrong kind, a wrong `__typename`.
 */
function asFetched(data: unknown, seed: number): { raw: unknown; damaged: boolean } {
  const rng = prng(seed);
  let damaged = false;
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (!value || typeof value !== "object") return value;
    const out: Row = {};
    for (const [key, v] of Object.entries(value as Row)) out[key] = walk(v);
    if (typeof out[TYPENAME_ALIAS] === "string") out.__typename = out[TYPENAME_ALIAS];
    out.planner_key = "K-1";
    if (rng.chance(0.03)) {
      const keys = Object.keys(out).filter((k) => k !== "planner_key");
      const key = rng.pick(keys.length ? keys : ["planner_key"]);
      damaged = true;
      const kind = rng.int(0, 3);
      if (kind === 0) out[key] = null;
      else if (kind === 1) delete out[key];
      else if (kind === 2) out[key] = typeof out[key] === "number" ? "7" : 7;
      else out.__typename = "NotAType";
    }
    return out;
  };
  return { raw: walk(data), damaged };
}

describe("the compiled pass over the merged data as fetched (Apollo's shaping skipped)", () => {
  it("answers exactly as over Apollo's shaped answer, and gives up wherever shaping would change it", () => {
    let runs = 0;
    let answered = 0;
    let damagedAnswered = 0;
    let gaveUpOnShapingErrors = 0;
    for (const [i, query] of [...shipped, LIST, SHAPES].entries())
      for (const [j, request] of requests.entries())
        for (let seed = 1; seed <= 5; seed++) {
          const document = parse(query);
          if (document.definitions.some((d) => "operation" in d && d.operation !== "query"))
            continue;
          const judge = createJudge(authority, request);
          const variables = variablesFor(document, seed);
          const rewritten = rewriteForAuthorization(schema, document, judge);
          const generated = fetched(rewritten, variables, i * 100 + j * 10 + seed);
          if (!generated.data) continue;
          const { raw, damaged } = asFetched(generated.data, seed * 7 + j);
          runs++;
          // Apollo's shaping of that data, then the gateway's filter over it: the answer today.
          let shaped: { data: unknown; errors: unknown[] };
          try {
            shaped = computeResponse({
              operation: operationFromDocument(apiFI, rewritten, { validate: false }),
              variables,
              input: raw,
              introspectionHandling: () => null,
            });
          } catch (error) {
            // Its assertions (a list where an object belongs) end the request with an error.
            shaped = { data: null, errors: [error] };
          }
          const compiled = compileOperation(schema, document, undefined, judge.key);
          if (!compiled) continue;
          const rawCollector = createAuditCollector((t, f) => judge.ownerOf(t, f));
          const walked = runCompiledPass({
            compiled,
            variables,
            data: raw as Row,
            judge,
            collect: rawCollector,
            raw: true,
          });
          if (shaped.errors.length > 0) {
            // Apollo would have answered with its value-completion errors: never the one walk.
            expect(walked).toBeUndefined();
            gaveUpOnShapingErrors++;
            continue;
          }
          if (!walked) continue;
          const todayCollector = createAuditCollector((t, f) => judge.ownerOf(t, f));
          const today = filterResult({
            schema,
            document,
            operationName: undefined,
            variables,
            result: { data: shaped.data } as ExecutionResult,
            judge,
            collect: todayCollector,
          });
          expect(outcome(walked, rawCollector)).toBe(outcome(today, todayCollector));
          answered++;
          if (damaged) damagedAnswered++;
        }
    expect(runs).toBeGreaterThan(150);
    expect(answered).toBeGreaterThan(runs * 0.5);
    expect(gaveUpOnShapingErrors).toBeGreaterThan(10);
    // Damage in a place no one selected (a planner's key) changes nothing and is answered.
    expect(damagedAnswered).toBeGreaterThan(0);
  });

  it("gives up when a helper field the client never asked for holds what shaping would refuse", () => {
    const judge = createJudge(authority, requests[0] as (typeof requests)[number]);
    const query = "query($id: ID!) { subject(id: $id) { id } }";
    const compiled = compileOperation(schema, parse(query), undefined, judge.key);
    if (!compiled) throw new Error("not compiled");
    const walk = (helpers: Row) =>
      runCompiledPass({
        compiled,
        variables: { id: "S-1001" },
        data: { subject: { id: "S-1001", __typename: "Subject", ...helpers } },
        judge,
        collect: createAuditCollector((t, f) => judge.ownerOf(t, f)),
        raw: true,
      });
    const key = helperAlias("Subject", "id");
    const flag = helperAlias("Subject", "sealed");
    expect(judge.helperFields("Subject")).toEqual(["id", "sealed"]);
    expect(walk({ [key]: "S-1001", [flag]: false })).toEqual({
      data: { subject: { id: "S-1001" } },
    });
    // The person's key is ID!: a null there nulls the person in Apollo's shaping.
    expect(walk({ [key]: null, [flag]: false })).toBeUndefined();
    // The flag is a Boolean: a string there is a value-completion error in Apollo's shaping.
    expect(walk({ [key]: "S-1001", [flag]: "yes" })).toBeUndefined();
  });

  it("accepts exactly the leaf values Apollo's shaping accepts", () => {
    const values = [true, false, 0, 7, -3, 1.5, Number.NaN, "7", "", "x", null, [], {}, "RED"];
    let compared = 0;
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isLeafType(type) || type.name.startsWith("__")) continue;
      const fi = apiFI.type(type.name);
      if (!fi) continue;
      const enumValue = "getValues" in type ? type.getValues()[0]?.name : undefined;
      for (const value of enumValue ? [...values, enumValue] : values) {
        if (value === null) continue;
        expect(validLeaf(getNamedType(type), value), `${type.name} ${JSON.stringify(value)}`).toBe(
          isValidLeafValue(apiFI, value, fi as never),
        );
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(50);
  });
});
