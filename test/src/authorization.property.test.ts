import { readFileSync } from "node:fs";
import { loadPolicies, type RunningGateway, startGateway, supergraphFile } from "@mash/gateway";
import { createLogger } from "@mash/kit";
import fc from "fast-check";
import {
  buildASTSchema,
  type FieldNode,
  type GraphQLObjectType,
  getNamedType,
  isLeafType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  parse,
} from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PolicySet } from "../../gateway/src/authz/policy/types.ts";
import { contractFixtures, contractOperation } from "./contract.ts";
import { startSystem, type TestSystem, testGatewayConfig } from "./system.ts";

const supergraph = readFileSync(supergraphFile, "utf8");
const schema = buildASTSchema(parse(supergraph), { assumeValidSDL: true });
const policy = loadPolicies({ supergraphSdl: supergraph }).policy as PolicySet;

interface Tree {
  name: string;
  children: Tree[];
}
interface Pick {
  name: string;
  alias: string | undefined;
  children: Pick[];
}

/** The selection tree of the contract's widest operation: every agency's section. */
function treeOf(field: FieldNode): Tree {
  return {
    name: field.name.value,
    children: (field.selectionSet?.selections ?? [])
      .filter((s): s is FieldNode => s.kind === Kind.FIELD)
      .map(treeOf),
  };
}

/**
 * An independent oracle: reads the rules as written (the last applicable rule decides, equality
 * conditions), without CASL, the rewrite or the filter.
 */
function oracle(
  roles: string[],
  inEnquiry: boolean,
  breakGlass: boolean,
  type: string,
  field: string,
  object: Record<string, unknown>,
): boolean {
  let allowed = false;
  for (const rule of policy.rules) {
    if (!rule.roles.some((r) => roles.includes(r))) continue;
    if (rule.requires.enquiry && !inEnquiry) continue;
    if (rule.requires.breakGlass && !breakGlass) continue;
    if (!rule.targets.some((t) => t.type === type && t.fields.includes(field))) continue;
    if (rule.conditions && !Object.entries(rule.conditions).every(([k, v]) => object[k] === v))
      continue;
    allowed = rule.effect === "allow";
  }
  return allowed;
}

const print = (picks: Pick[], canonical: boolean, type: GraphQLObjectType): string =>
  [
    ...picks.map((p) => {
      const child = getNamedType(type.getFields()[p.name]?.type);
      const head = canonical || !p.alias ? p.name : `${p.alias}: ${p.name}`;
      return isObjectType(child) ? `${head} { ${print(p.children, canonical, child)} }` : head;
    }),
    // The reference read always carries what the oracle needs: ids, and what conditions test.
    ...(canonical
      ? ["id", "sealed", "handlingCode"].filter(
          (f) => type.getFields()[f] && !picks.some((p) => p.name === f),
        )
      : []),
    "__typename",
  ].join(" ");

function pickArb(tree: Tree): fc.Arbitrary<Pick[]> {
  return fc
    .tuple(
      ...tree.children.map((c) =>
        fc.record({
          // Mostly take a field: deep, conditional corners are reached only through their parents.
          take: fc.integer({ min: 0, max: 9 }).map((n) => n < 8),
          // About one field in four aliased: enough to exercise aliases, within the alias limit.
          alias: fc.oneof(
            { weight: 3, arbitrary: fc.constant(undefined) },
            { weight: 1, arbitrary: fc.constantFrom("a", "b", "x1") },
          ),
          children: c.children.length ? pickArb(c) : fc.constant([] as Pick[]),
        }),
      ),
    )
    .map((choices) =>
      choices
        .map((ch, i) => ({ ...ch, name: (tree.children[i] as Tree).name }))
        .filter((ch) => ch.take)
        .map(({ name, alias, children }) => ({
          name,
          alias: alias ? `${alias}_${name}` : undefined,
          children,
        })),
    );
}

describe("no value the policy denies ever appears (property-based)", () => {
  let system: TestSystem;
  let reference: RunningGateway;
  const fixtures = contractFixtures();
  const quiet = createLogger("test", "silent");

  beforeAll(async () => {
    system = await startSystem({ subjects: 30 });
    const config = testGatewayConfig(system.subgraphs.map((s) => ({ name: s.name, url: s.url })));
    reference = await startGateway(config, {
      logger: quiet,
      identity: system.identity,
      authorization: "off",
      watchPolicies: false,
    });
  });
  afterAll(async () => {
    await reference?.stop();
    await system?.stop();
  });

  it("holds for random operations, users, purposes and people", async () => {
    const op = parse(contractOperation("SubjectOverview"))
      .definitions[0] as OperationDefinitionNode;
    const tree = treeOf(op.selectionSet.selections[0] as FieldNode);
    const subjectType = schema.getType("Subject") as GraphQLObjectType;
    const users = fixtures.users.map((u) => u.username);
    const enquiries = fixtures.enquiries;
    let checkedLeaves = 0;

    await fc.assert(
      fc.asyncProperty(
        pickArb(tree),
        fc.constantFrom(...users),
        // Mostly a person the stated enquiry links, where most rules apply; sometimes anyone.
        fc.oneof(
          {
            weight: 3,
            arbitrary: fc
              .constantFrom(...enquiries)
              .chain((e) => fc.constantFrom(...e.subjects).map((s) => [e.id, s] as const)),
          },
          {
            weight: 1,
            arbitrary: fc.tuple(
              fc.constantFrom(undefined, ...enquiries.map((e) => e.id)),
              fc.constantFrom(...fixtures.subjects.map((s) => s.id)),
            ),
          },
        ),
        fc.boolean(),
        fc.boolean(),
        async (picks, as, [enquiry, id], breakGlass, inlineFragment) => {
          const body = print(picks, false, subjectType);
          const query = `query($id: ID!) { subject(id: $id) { ${inlineFragment ? `... on Subject { ${body} }` : body} } }`;
          const reason = breakGlass
            ? "Safety visit planned; current address needed today"
            : undefined;
          const enforced = await system.query<Record<string, unknown>>(
            query,
            { id },
            { as, enquiry, breakGlass: reason },
          );
          const full = await fetch(reference.url, {
            method: "POST",
            headers: { "content-type": "application/json", ...(await system.headersFor({ as })) },
            body: JSON.stringify({
              query: `query($id: ID!) { subject(id: $id) { ${print(picks, true, subjectType)} } }`,
              variables: { id },
            }),
          }).then((r) => r.json() as Promise<{ data: Record<string, unknown> }>);

          const user = fixtures.users.find((u) => u.username === as);
          const roles = user?.roles ?? [];
          const mayBreak =
            reason !== undefined && roles.some((r) => policy.roles.get(r)?.breakGlass);
          if (reason !== undefined && !mayBreak) {
            // A role that may not break the glass is refused outright, never served as if it
            // had not asked.
            expect(enforced.status).toBe(403);
            expect(enforced.body.data).toBeUndefined();
            expect(enforced.body.errors?.[0]?.extensions?.code).toBe("BREAK_GLASS_NOT_PERMITTED");
            return;
          }
          const stated = enquiries.find((e) => e.id === enquiry);
          // Purpose is for the agencies taking part: the lead and those asked (none is released
          // in the fixtures).
          const takesPart =
            user !== undefined &&
            (stated?.lead === user.agency || (stated?.asked ?? []).includes(user.agency));
          const linked = (s: string | undefined) =>
            stated?.status === "OPEN" &&
            takesPart &&
            s !== undefined &&
            stated.subjects.includes(s);
          const errorPaths = (enforced.body.errors ?? []).map((e) => (e.path ?? []).join("."));

          const walk = (
            picksHere: Pick[],
            type: GraphQLObjectType,
            e: unknown,
            r: unknown,
            scope: string | undefined,
            path: string,
          ) => {
            const eo = e as Record<string, unknown>;
            const ro = r as Record<string, unknown>;
            for (const p of picksHere) {
              const key = p.alias ?? p.name;
              const here = `${path}.${key}`;
              const allowed = oracle(roles, linked(scope), mayBreak, type.name, p.name, ro);
              const ev = eo[key];
              const rv = ro[p.name];
              if (ev === null || ev === undefined) {
                if (!allowed && rv !== null && rv !== undefined) {
                  // No surprises: a withheld value always comes with its error.
                  expect(
                    errorPaths.some((ep) => here.startsWith(ep)),
                    `${here} withheld with an error`,
                  ).toBe(true);
                }
                continue;
              }
              expect(
                allowed,
                `${as} ${enquiry ?? "-"} ${id}: ${type.name}.${p.name} at ${here} must not appear`,
              ).toBe(true);
              checkedLeaves++;
              const child = getNamedType(type.getFields()[p.name]?.type);
              if (isLeafType(child)) {
                expect(ev, here).toEqual(rv);
              } else if (isObjectType(child)) {
                const items = Array.isArray(ev) ? ev : [ev];
                const refs = Array.isArray(rv) ? rv : [rv];
                items.forEach((item, i) => {
                  const ref = refs[i] as Record<string, unknown>;
                  const childScope =
                    child.name === policy.scope?.type ? (ref?.[policy.scope.key] as string) : scope;
                  walk(
                    p.children,
                    child,
                    item,
                    ref,
                    childScope,
                    Array.isArray(ev) ? `${here}.${i}` : here,
                  );
                });
              }
            }
          };
          // Every error must be a field decision: anything else (a refused query, a failure) would
          // let the property pass without checking a single value.
          expect(enforced.status).toBe(200);
          for (const err of enforced.body.errors ?? []) {
            expect(err.extensions?.code, err.message).toBe("UNAUTHORIZED_FIELD_OR_TYPE");
          }
          const e = enforced.body.data?.subject;
          const r = full.data?.subject;
          if (e && r) walk(picks, subjectType, e, r, id, "subject");
        },
      ),
      { numRuns: 200, seed: 20261126 },
    );
    process.stdout.write(`property: ${checkedLeaves} visible values checked against the oracle\n`);
    expect(checkedLeaves).toBeGreaterThan(200);
  });
});
