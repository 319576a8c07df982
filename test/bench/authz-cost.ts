import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { Authority, loadPolicies, supergraphFile } from "@mash/gateway";
import { buildASTSchema, buildSchema, parse, print, printSchema } from "graphql";
import { filterResult } from "../../gateway/src/authz/filter.ts";
import { createJudge } from "../../gateway/src/authz/judge.ts";
import { rewriteForAuthorization } from "../../gateway/src/authz/rewrite.ts";

/**
 * What enforcement itself costs per request, without the network: building the judge, the
 * rewrite (done once per document and context, then cached) and the result filter (every time).
 */
export async function benchAuthorizationCost(
  execute: (query: string, variables: Record<string, unknown>) => Promise<unknown>,
  iterations = 2000,
) {
  const sdl = readFileSync(supergraphFile, "utf8");
  const policy = loadPolicies({ supergraphSdl: sdl }).policy;
  if (!policy) throw new Error("policies do not load");
  const authority = new Authority(policy);
  const schema = buildSchema(printSchema(buildASTSchema(parse(sdl), { assumeValidSDL: true })));
  const document = parse(
    readFileSync(
      new URL("../../gateway/operations/SubjectOverview.graphql", import.meta.url),
      "utf8",
    ),
  );
  const request = {
    roles: ["mash_manager"],
    agency: "childrens-services",
    enquiry: {
      id: "ENQ-2001",
      open: true,
      subjects: new Set(["S-1001", "S-1002", "S-1003"]),
      participants: new Set(["childrens-services"]),
    },
    breakGlass: false,
  };
  const time = (fn: () => void) => {
    for (let i = 0; i < 200; i++) fn();
    const started = performance.now();
    for (let i = 0; i < iterations; i++) fn();
    return ((performance.now() - started) / iterations) * 1000;
  };
  const judgeUs = time(() => createJudge(authority, request));
  const judge = createJudge(authority, request);
  const rewriteUs = time(() => rewriteForAuthorization(schema, document, judge));
  // The data as the gateway would have fetched it for the rewritten document, helper fields included.
  const result = await execute(print(rewriteForAuthorization(schema, document, judge)), {
    id: "S-1003",
  });
  const filterUs = time(() =>
    filterResult({
      schema,
      document,
      operationName: undefined,
      variables: { id: "S-1003" },
      result: structuredClone(result) as never,
      judge,
    }),
  );
  return { judgeUs, rewriteUs, filterUs };
}
