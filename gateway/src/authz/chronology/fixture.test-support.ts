import { Supergraph } from "@apollo/federation-internals";
import { composeSupergraph } from "../../compose/compose.ts";
import { deriveChronology } from "./derive-paths.ts";
import { withChronology } from "./schema.ts";

const link = (imports: string, more = "") => `extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@composeDirective"])
  @link(url: "https://specs.mash-gateway.example/chronology/v0.1", import: ${imports})
  @composeDirective(name: "@dated")${more}
directive @dated on FIELD_DEFINITION
`;

/** A small graph of three agencies, in the shapes the real one has. */
export const subgraphs = [
  {
    name: "hub",
    url: "http://hub/graphql",
    sdl: `${link('["@dated", "@chronology"]', '\n  @composeDirective(name: "@chronology")')}
directive @chronology on OBJECT
type Query { person(id: ID!): Person }
type Person @key(fields: "id") @chronology {
  id: ID!
  name: String
  household: [Person!]
  contacts: [Contact!]
  cases: [Case!]
}
type Contact @key(fields: "id") { id: ID! receivedAt: String @dated concern: String about: [Person!] }
type Case { id: ID! steps: [Step!] contacts: [Contact!] }
type Step { at: String! @dated what: String! summary: String }
`,
  },
  {
    name: "police",
    url: "http://police/graphql",
    sdl: `${link('["@dated"]')}
type Person @key(fields: "id") { id: ID! police: PoliceSection }
type PoliceSection { incidents: [Incident!] deep: Deep }
type Incident { id: ID! occurredAt: String @dated summary: String }
type Deep { deeper: Deeper }
type Deeper { far: [Far!] }
type Far { when: String @dated }
`,
  },
  {
    name: "health",
    url: "http://health/graphql",
    sdl: `${link('["@dated"]')}
type Person @key(fields: "id") { id: ID! health: HealthSection }
type HealthSection { visits: [Visit!] }
type Visit { id: ID! attendedAt: String @dated reason: String }
`,
  },
];

export const supergraphSdl = composeSupergraph(subgraphs);
export const api = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
export const spec = (() => {
  const derived = deriveChronology(supergraphSdl, api);
  if (!derived) throw new Error("the fixture declares a chronology");
  return derived;
})();
export const served = withChronology(api, spec);
