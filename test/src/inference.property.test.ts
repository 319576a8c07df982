import { readFileSync } from "node:fs";
import { type RunningGateway, startGateway, supergraphFile } from "@mash/gateway";
import { createLogger, type Store } from "@mash/kit";
import fc from "fast-check";
import {
  buildASTSchema,
  type FieldNode,
  type GraphQLObjectType,
  getNamedType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  parse,
} from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { subjectKeys } from "../../subgraphs/mash/src/search/keys.ts";
import type { MashDB } from "../../subgraphs/mash/src/store.ts";
import type { PoliceDB } from "../../subgraphs/police/src/declaration.ts";
import { contractOperation } from "./contract.ts";
import { startSystem, type TestSystem, testGatewayConfig } from "./system.ts";

/**
 * "Cannot be inferred", as a test: a request gets the same response from two worlds that differ
 * only in values the agreement withholds from its requester. The worlds here differ in what no
 * practitioner outside the police may read, and no one without breaking the glass: a sealed
 * child's address, NHS number and household; a handling code C item's grading and summary, and
 * whether a second such item exists at all.
 */
const schema = buildASTSchema(parse(readFileSync(supergraphFile, "utf8")), {
  assumeValidSDL: true,
});

const SEALED = "S-1005";
const FAMILY = "S-1001";
const PARTNER = "S-1003";
/** The two worlds' withheld values. World 0 is the fixtures' own, with the child placed in a family. */
const worlds = [
  {
    line1: "9 Orchard Way",
    postcode: "PR3 2CD",
    nhs: "9990001057",
    household: "join",
    extra: false,
  },
  { line1: "41 Quarry Road", postcode: "PR7 9ZZ", nhs: "9990002126", household: null, extra: true },
] as const;
const SECRET_ITEM = "INT-SECRET";

/** Users who may read none of the values the worlds differ in (no police, no break glass). */
const users = ["sw.patel", "mgr.okafor", "nurse.evans", "dsl.murphy", "po.khan", "asw.brown"];
const purposes = [undefined, "ENQ-2001", "ENQ-2002", "ENQ-2003"];
const people = [FAMILY, "S-1002", PARTNER, "S-1004", SEALED];

interface Pick {
  name: string;
  children: Pick[];
}

function picksOf(field: FieldNode): Pick[] {
  return (field.selectionSet?.selections ?? [])
    .filter((s): s is FieldNode => s.kind === Kind.FIELD)
    .map((f) => ({ name: f.name.value, children: picksOf(f) }));
}

/** A random sub-selection of the contract's widest operation (every agency's section). */
function selectionArb(picks: Pick[]): fc.Arbitrary<Pick[]> {
  return fc
    .tuple(
      ...picks.map((p) =>
        fc.record({
          take: fc.integer({ min: 0, max: 9 }).map((n) => n < 7),
          children: p.children.length ? selectionArb(p.children) : fc.constant([] as Pick[]),
        }),
      ),
    )
    .map((choices) =>
      choices
        .map((c, i) => ({ name: (picks[i] as Pick).name, take: c.take, children: c.children }))
        .filter(
          (c) =>
            c.take &&
            (c.children.length > 0 || !picks.find((p) => p.name === c.name)?.children.length),
        )
        .map(({ name, children }) => ({ name, children })),
    );
}

const print = (picks: Pick[], type: GraphQLObjectType): string =>
  [
    ...picks.map((p) => {
      const child = getNamedType(type.getFields()[p.name]?.type);
      return isObjectType(child) ? `${p.name} { ${print(p.children, child)} }` : p.name;
    }),
    "__typename",
  ].join(" ");

interface Request {
  /** What the request reads: the differential holds for each kind as its issue lands. */
  kind: "household" | "intelligence" | "overview" | "search";
  as: string;
  enquiry: string | undefined;
  query: string;
  variables: Record<string, unknown>;
}

const household =
  "query($id: ID!) { subject(id: $id) { id household { id name { given family } dateOfBirth sealed address { postcode } } } }";
const search = `query($name: String, $dateOfBirth: Date, $nhsNumber: String, $postcode: String) {
  searchSubjects(name: $name, dateOfBirth: $dateOfBirth, nhsNumber: $nhsNumber, postcode: $postcode, first: 20) {
    score matches { field quality } subject { id name { given family } sealed }
  } }`;
const intelligence =
  "query($id: ID!) { subject(id: $id) { police { intelligence { id grading summary handlingCode } } } }";

function requestArb(overview: Pick[]): fc.Arbitrary<Request> {
  const subjectType = schema.getType("Subject") as GraphQLObjectType;
  const who = fc.record({ as: fc.constantFrom(...users), enquiry: fc.constantFrom(...purposes) });
  const byId = (kind: Request["kind"], query: string) =>
    fc
      .tuple(who, fc.constantFrom(...people))
      .map(([w, id]): Request => ({ kind, ...w, query, variables: { id } }));
  const searchArgs = fc.record(
    {
      name: fc.constantFrom("Noah Price", "Amelia Doe", "Noah", "Price"),
      dateOfBirth: fc.constantFrom("2015-06-30", "2017-03-14"),
      // World 0's withheld values, whole and in part: what a hostile searcher would try.
      nhsNumber: fc.constantFrom(worlds[0].nhs, worlds[1].nhs),
      postcode: fc.constantFrom(worlds[0].postcode, "PR3", worlds[1].postcode, "PR1 4XY"),
    },
    { requiredKeys: [] },
  );
  return fc.oneof(
    { weight: 3, arbitrary: byId("household", household) },
    { weight: 2, arbitrary: byId("intelligence", intelligence) },
    {
      weight: 3,
      arbitrary: fc
        .tuple(who, fc.constantFrom(...people), selectionArb(overview))
        .filter(([, , picks]) => picks.length > 0)
        .map(
          ([w, id, picks]): Request => ({
            kind: "overview",
            ...w,
            query: `query($id: ID!) { subject(id: $id) { ${print(picks, subjectType)} } }`,
            variables: { id },
          }),
        ),
    },
    {
      weight: 4,
      arbitrary: fc
        .tuple(who, searchArgs)
        .map(([w, variables]): Request => ({ kind: "search", ...w, query: search, variables })),
    },
  );
}

/** Puts the stores in world `n`: only withheld values change. */
async function enter(system: TestSystem, n: 0 | 1): Promise<void> {
  const world = worlds[n];
  const hub = system.subgraphs.find((s) => s.name === "mash")?.store as Store<MashDB>;
  const police = system.subgraphs.find((s) => s.name === "police")?.store as Store<PoliceDB>;
  const family = await hub.db
    .selectFrom("subjects")
    .where("id", "=", FAMILY)
    .select("household_id")
    .executeTakeFirstOrThrow();
  const child = await hub.db
    .selectFrom("subjects")
    .where("id", "=", SEALED)
    .selectAll()
    .executeTakeFirstOrThrow();
  await hub.db
    .updateTable("subjects")
    .set({
      address_line1: world.line1,
      postcode: world.postcode,
      nhs_number: world.nhs,
      household_id: world.household === "join" ? family.household_id : null,
    })
    .where("id", "=", SEALED)
    .execute();
  // Search finds people by their keys: the child's postcode key moves with the postcode.
  await hub.db.deleteFrom("search_keys").where("subject_id", "=", SEALED).execute();
  const keys = subjectKeys({
    given: child.given_name,
    family: child.family_name,
    dateOfBirth: child.date_of_birth,
    postcode: world.postcode,
  });
  await hub.db
    .insertInto("search_keys")
    .values(keys.map((k) => ({ key: k.key, subject_id: SEALED, weight: k.weight })))
    .execute();

  const code = n === 0 ? "Believed to carry a knife" : "Linked to a county lines network";
  await police.db
    .updateTable("intelligence")
    .set({ grading: n === 0 ? "B2" : "E5", summary: code })
    .where("handling_code", "=", "C")
    .where("id", "<>", SECRET_ITEM)
    .execute();
  await police.db.deleteFrom("intelligence").where("id", "=", SECRET_ITEM).execute();
  if (world.extra) {
    await police.db
      .insertInto("intelligence")
      .values({
        subject_id: PARTNER,
        id: SECRET_ITEM,
        grading: "A1",
        handling_code: "C",
        summary: "Informant places him at the address nightly",
        source: "CHIS 0042",
      })
      .execute();
  }
}

describe("nothing withheld can be inferred (differential, property-based)", () => {
  let system: TestSystem;
  let leaky: RunningGateway;
  let requests: Request[] = [];
  const answers: string[][] = [[], []];

  /** How many of the answers compared came gzipped: the wire size is compared too. */
  let gzipped = 0;
  /**
   * The answer as a browser gets it (Accept-Encoding: gzip): its status, its text, and how it
   * travelled (its encoding and length on the wire), so a compressed size that told a withheld
   * value apart would fail the comparison as a differing text would.
   */
  const ask = async (url: string | undefined, r: Request): Promise<string> => {
    const response = await fetch(url ?? system.gatewayUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "accept-encoding": "gzip",
        ...(await system.headersFor({ as: r.as, enquiry: r.enquiry })),
      },
      body: JSON.stringify({ query: r.query, variables: r.variables }),
    });
    const encoding = response.headers.get("content-encoding");
    if (encoding === "gzip") gzipped++;
    return JSON.stringify({
      status: response.status,
      encoding,
      length: response.headers.get("content-length"),
      body: await response.json(),
    });
  };

  beforeAll(async () => {
    system = await startSystem({ subjects: 30 });
    // The same graph with enforcement off: a filter that leaks everything, which the test must catch.
    leaky = await startGateway(
      testGatewayConfig(system.subgraphs.map((s) => ({ name: s.name, url: s.url }))),
      {
        logger: createLogger("test", "silent"),
        identity: system.identity,
        contextKey: system.contextKey,
        authorization: "off",
        watchPolicies: false,
      },
    );
    const op = parse(contractOperation("SubjectOverview"))
      .definitions[0] as OperationDefinitionNode;
    const overview = picksOf(op.selectionSet.selections[0] as FieldNode);
    requests = fc.sample(requestArb(overview), { numRuns: 120, seed: 20261201 });
  }, 120_000);
  afterAll(async () => {
    await leaky?.stop();
    await system?.stop();
  });

  const differing = (kinds: readonly Request["kind"][]) =>
    requests
      .map((r, i) => ({ r, same: answers[0]?.[i] === answers[1]?.[i] }))
      .filter(({ r, same }) => kinds.includes(r.kind) && !same)
      .map(
        ({ r }) => `${r.kind} as ${r.as} in ${r.enquiry ?? "-"}: ${JSON.stringify(r.variables)}`,
      );

  it("answers each request in both worlds", async () => {
    for (const n of [0, 1] as const) {
      await enter(system, n);
      for (const r of requests) answers[n]?.push(await ask(undefined, r));
    }
    expect(answers[1]).toHaveLength(requests.length);
    // Some answers are long enough to go gzipped: their compressed size is part of the property.
    expect(gzipped).toBeGreaterThan(0);
    // Every kind is drawn, so no part of the property passes for want of a case.
    for (const kind of ["household", "intelligence", "overview", "search"] as const)
      expect(
        requests.some((r) => r.kind === kind),
        kind,
      ).toBe(true);
  }, 120_000);

  it("gives every request the same answer in both worlds: sections, intelligence, households, search", () => {
    expect(differing(["intelligence", "overview", "household", "search"])).toEqual([]);
  });

  it("catches a filter that leaks: with enforcement off, some answer differs between the worlds", async () => {
    const leaked: string[][] = [[], []];
    for (const n of [0, 1] as const) {
      await enter(system, n);
      for (const r of requests.slice(0, 40)) leaked[n]?.push(await ask(leaky.url, r));
    }
    expect(leaked[0]?.some((a, i) => a !== leaked[1]?.[i])).toBe(true);
  }, 120_000);
});
