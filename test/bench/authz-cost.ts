import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { Supergraph } from "@apollo/federation-internals";
import { Authority, loadPolicies, supergraphFile } from "@mash/gateway";
import { generatePopulation } from "@mash/kit";
import { type ExecutionResult, parse, print } from "graphql";
import { createAuditCollector } from "../../gateway/src/audit/collect.ts";
import { filterResult } from "../../gateway/src/authz/filter.ts";
import { runCompiledPass } from "../../gateway/src/authz/filter-pass.ts";
import { compileOperation } from "../../gateway/src/authz/filter-plan.ts";
import { filterSchemaOf } from "../../gateway/src/authz/filter-schema.ts";
import { createJudge } from "../../gateway/src/authz/judge.ts";
import { rewriteForAuthorization } from "../../gateway/src/authz/rewrite.ts";

/** The 50-subject list of the gateway bench (gateway.ts): fifty people, three in the enquiry. */
const LIST = `query List($ids: [ID!]!) { subjects(ids: $ids) { id name { given family } dateOfBirth address { postcode }
  police { known incidents { id category } } socialCare { known openCase } health { known gpPractice { name } }
  education { known attendancePercent } probation { known mappaLevel } adultSocialCare { known } } }`;

export interface FilterCost {
  /** Re-executing the client's operation with graphql-js (filter.ts): the fallback. */
  reexecuteUs: number;
  /** The compiled pass (filter-pass.ts): what a request normally costs. */
  compiledUs: number;
}

/**
 * What enforcement itself costs per request, without the network: building the judge, the
 * rewrite (done once per document and context, then cached) and the result filter (every time),
 * by re-execution and by the compiled pass, for SubjectOverview and for the 50-subject list,
 * each with the access log's collector as the gateway runs it.
 */
export async function benchAuthorizationCost(
  execute: (query: string, variables: Record<string, unknown>) => Promise<unknown>,
  iterations = 2000,
) {
  const sdl = readFileSync(supergraphFile, "utf8");
  const policy = loadPolicies({ supergraphSdl: sdl }).policy;
  if (!policy) throw new Error("policies do not load");
  const authority = new Authority(policy);
  const schema = filterSchemaOf(Supergraph.build(sdl).apiSchema().toGraphQLJSSchema());
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
  const time = (fn: () => void, n = iterations) => {
    for (let i = 0; i < Math.min(200, n); i++) fn();
    const started = performance.now();
    for (let i = 0; i < n; i++) fn();
    return ((performance.now() - started) / n) * 1000;
  };
  const judgeUs = time(() => createJudge(authority, request));
  const judge = createJudge(authority, request);
  const overview = {
    query: readFileSync(
      new URL("../../gateway/operations/SubjectOverview.graphql", import.meta.url),
      "utf8",
    ),
    variables: { id: "S-1003" },
  };
  const rewriteUs = time(() => rewriteForAuthorization(schema, parse(overview.query), judge));

  const filterCost = async (
    op: { query: string; variables: Record<string, unknown> },
    n: number,
  ): Promise<FilterCost> => {
    const document = parse(op.query);
    // The data as the gateway would have fetched it for the rewritten document, helpers included.
    const result = (await execute(
      print(rewriteForAuthorization(schema, document, judge)),
      op.variables,
    )) as ExecutionResult;
    const collector = () => createAuditCollector((t, f) => judge.ownerOf(t, f));
    const compiled = compileOperation(schema, document, undefined, judge.key);
    if (!compiled) throw new Error("the operation does not compile");
    const data = result.data as Record<string, unknown>;
    const compiledUs = time(() => {
      const out = runCompiledPass({
        compiled,
        variables: op.variables,
        data,
        judge,
        collect: collector(),
      });
      if (!out) throw new Error("the compiled pass left the operation to re-execution");
    }, n);
    const reexecuteUs = time(
      () =>
        filterResult({
          schema,
          document,
          operationName: undefined,
          variables: op.variables,
          result,
          judge,
          collect: collector(),
        }),
      n,
    );
    return { reexecuteUs, compiledUs };
  };
  const ids = generatePopulation({ subjects: 200 })
    .persons.slice(0, 50)
    .map((p) => p.id);
  const overviewCost = await filterCost(overview, iterations);
  return {
    judgeUs,
    rewriteUs,
    /** The filter as a request runs it: the compiled pass. */
    filterUs: overviewCost.compiledUs,
    overview: overviewCost,
    list: await filterCost({ query: LIST, variables: { ids } }, Math.ceil(iterations / 10)),
  };
}
