// What the compiled pass's tests share: the shipped agreement and schema, the operations, the
// requests, and seeded variables and data (filter-pass.test.ts, filter-pass-raw.test.ts).
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
  typeFromAST,
} from "graphql";
import { auditEntry, type createAuditCollector } from "../audit/collect.ts";
import { composeSupergraph } from "../compose/compose.ts";
import { readSchemaFiles } from "../compose/schema-files.ts";
import { Authority } from "./ability.ts";
import { filterSchemaOf } from "./filter-schema.ts";
import type { RequestAuthorization } from "./judge.ts";
import { loadPolicyTexts, readPolicyDir } from "./policy/load.ts";

// The shipped agreement over the schema as it is now, as the gateway serves it.
export const sdl = composeSupergraph(readSchemaFiles());
const { policy, problems } = loadPolicyTexts({
  files: readPolicyDir(new URL("../../../policies", import.meta.url).pathname).files,
  supergraphSdl: sdl,
});
if (!policy) throw new Error(problems.map((p) => p.message).join("\n"));
export const authority = new Authority(policy);
export const api = Supergraph.build(sdl).apiSchema().toGraphQLJSSchema();
export const schema = filterSchemaOf(api);

const operationsDir = new URL("../../operations/", import.meta.url);
export const shipped = readdirSync(operationsDir)
  .filter((f) => f.endsWith(".graphql"))
  .map((f) => readFileSync(new URL(f, operationsDir), "utf8"));
export const LIST = `query List($ids: [ID!]!) { subjects(ids: $ids) { id name { given family } dateOfBirth
  address { postcode } police { known incidents { id category } } socialCare { known openCase }
  health { known gpPractice { name } } education { known attendancePercent } probation { known
  mappaLevel } adultSocialCare { known } } }`;
// Fragments, aliases merged and not, @skip/@include from variables and literals, __typename.
export const SHAPES = `query Shapes($id: ID!, $more: Boolean!, $less: Boolean = false) {
  a: subject(id: $id) { ...Person police @include(if: $more) { intelligence { ...Intel } known }
    __typename sealed @skip(if: $less) }
  b: subject(id: $id) { id name { given } name { family } police { incidents { id } incidents { category summary } } }
  subject(id: $id) @skip(if: true) { id }
}
fragment Person on Subject { id given: name { given } police { warningMarkers intelligence { id } } }
fragment Intel on Intelligence { __typename handlingCode summary grading ... on Intelligence { source } }`;

export const people = ["S-1001", "S-1002", "S-1003", "S-2001", "S-3002", "S-4003"];
const enquiry = (agency: string) => ({
  id: "ENQ-1",
  open: true,
  subjects: new Set(people.slice(0, 3)),
  participants: new Set([agency]),
});
export const requests: RequestAuthorization[] = [
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
export function variablesFor(document: DocumentNode, seed: number): Record<string, unknown> {
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
export function fetched(document: DocumentNode, variables: Record<string, unknown>, seed: number) {
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
export function outcome(
  result: ExecutionResult,
  collector: ReturnType<typeof createAuditCollector>,
) {
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
