import { readFileSync } from "node:fs";
import { operationFromDocument, Supergraph } from "@apollo/federation-internals";
import { ApolloGateway } from "@apollo/gateway";
import { type QueryPlan, QueryPlanner } from "@apollo/query-planner";
import { buildASTSchema, GraphQLError, GraphQLSchema, parse } from "graphql";
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

  it("lets through what a plan hands from one fetch to the next: keys, @requires inputs, @inaccessible ones too", async () => {
    const { composeServices } = await import("@apollo/composition");
    const link = (imports: string) =>
      `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: [${imports}])`;
    const composed = composeServices([
      {
        name: "a",
        url: "http://a",
        typeDefs: parse(`${link('"@key", "@inaccessible"')}
          type Query { parcels: [Parcel!]! }
          type Parcel @key(fields: "id") { id: ID! weight: Int @inaccessible }`),
      },
      {
        name: "b",
        url: "http://b",
        typeDefs: parse(`${link('"@key", "@external", "@requires"')}
          type Parcel @key(fields: "id") { id: ID! weight: Int @external cost: Int @requires(fields: "weight") }`),
      },
    ]);
    if (!composed.supergraphSdl) throw new Error(String(composed.errors));
    const full = buildASTSchema(parse(composed.supergraphSdl), { assumeValidSDL: true });
    const supergraph = Supergraph.build(composed.supergraphSdl);
    const queryPlan = new QueryPlanner(supergraph).buildQueryPlan(
      operationFromDocument(supergraph.schema, parse("{ parcels { cost } }")),
    );
    // A role that may read only Parcel.cost: id (the key) and weight (inaccessible) are the plan's.
    const onlyCost = {
      mayAllow: (type: string, field: string) =>
        (type === "Query" && field === "parcels") || (type === "Parcel" && field === "cost"),
      helperFields: () => [],
    };
    const guard = planGuard(() => full);
    expect(() =>
      guard({ queryPlan, requestContext: { context: { judge: onlyCost } } }),
    ).not.toThrow();
    // The same fields asked for outright, not handed on, are refused.
    const asked = {
      kind: "QueryPlan",
      node: { kind: "Fetch", serviceName: "a", operation: "{ parcels { id weight } }" },
    } as unknown as QueryPlan;
    expect(() =>
      guard({ queryPlan: asked, requestContext: { context: { judge: onlyCost } } }),
    ).toThrow(GraphQLError);
  });
  it("remembers a plan it passed for one judge core only: another core's plan is walked again", () => {
    const guard = planGuard(() => schema);
    const queryPlan = plan(
      "query($representations:[_Any!]!){_entities(representations:$representations){...on Subject{police{intelligence{id source}}}}}",
    );
    let asked = 0;
    const everything = {
      mayAllow: () => {
        asked++;
        return true;
      },
      helperFields: () => [],
    };
    const run = (j: object) => () =>
      guard({ queryPlan, requestContext: { context: { judge: j } } });
    expect(run(everything)).not.toThrow();
    const walked = asked;
    expect(walked).toBeGreaterThan(0);
    // A request with the same core (the judge is a fresh object per request, its methods shared).
    expect(run({ ...everything })).not.toThrow();
    expect(asked).toBe(walked);
    // Another core, for whom the plan fetches a field it may not see: refused, every time.
    expect(run(judge)).toThrow(GraphQLError);
    expect(run(judge)).toThrow(GraphQLError);
    // Another schema (a new supergraph): walked again.
    let current: GraphQLSchema | undefined = schema;
    const reloading = planGuard(() => current);
    reloading({ queryPlan, requestContext: { context: { judge: everything } } });
    const before = asked;
    current = new GraphQLSchema(schema.toConfig());
    reloading({ queryPlan, requestContext: { context: { judge: everything } } });
    expect(asked).toBeGreaterThan(before);
  });
});
