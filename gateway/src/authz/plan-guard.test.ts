import { readFileSync } from "node:fs";
import { ApolloGateway } from "@apollo/gateway";
import type { QueryPlan } from "@apollo/query-planner";
import { GraphQLError, type GraphQLSchema } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { supergraphFile } from "../compose/schema-files.ts";
import { planGuard } from "./plan-guard.ts";

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = (await new ApolloGateway({ supergraphSdl: readFileSync(supergraphFile, "utf8") }).load())
    .schema;
});

const plan = (operation: string): QueryPlan =>
  ({
    kind: "QueryPlan",
    node: {
      kind: "Sequence",
      nodes: [
        {
          kind: "Fetch",
          serviceName: "mash",
          operation: '{ subject(id: "S-1") { __typename id } }',
        },
        { kind: "Flatten", node: { kind: "Fetch", serviceName: "police", operation } },
      ],
    },
  }) as unknown as QueryPlan;

const judge = {
  mayAllow: (type: string, field: string) =>
    !(type === "Intelligence" && ["source", "handlingCode"].includes(field)),
  helperFields: (type: string) => (type === "Intelligence" ? ["handlingCode"] : []),
};

describe("the plan guard", () => {
  it("stops a plan that would fetch a field the request may not see, naming it", () => {
    const guard = planGuard(() => schema);
    const run = () =>
      guard({
        queryPlan: plan(
          "query($representations:[_Any!]!){_entities(representations:$representations){...on Subject{police{intelligence{id source}}}}}",
        ),
        requestContext: { context: { judge } },
      });
    expect(run).toThrow(GraphQLError);
    try {
      run();
    } catch (error) {
      expect((error as GraphQLError).extensions).toMatchObject({
        code: "AUTHORIZATION_PLAN_REFUSED",
        field: "Intelligence.source",
        subgraph: "police",
      });
    }
  });

  it("lets the gateway's own helper fields through: read to decide, never returned unless allowed", () => {
    const guard = planGuard(() => schema);
    const run = (fields: string) => () =>
      guard({
        queryPlan: plan(
          `query($representations:[_Any!]!){_entities(representations:$representations){...on Subject{police{intelligence{${fields}}}}}}`,
        ),
        requestContext: { context: { judge } },
      });
    expect(run("id handlingCode")).not.toThrow();
    expect(run("id handlingCode source")).toThrow(GraphQLError);
  });

  it("lets a plan through when every fetched field may be seen", () => {
    const guard = planGuard(() => schema);
    expect(() =>
      guard({
        queryPlan: plan(
          "query($representations:[_Any!]!){_entities(representations:$representations){...on Subject{police{intelligence{id summary}}}}}",
        ),
        requestContext: { context: { judge } },
      }),
    ).not.toThrow();
  });
});
