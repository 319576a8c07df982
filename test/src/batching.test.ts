import { generatePopulation } from "@mash/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSystem, type TestSystem } from "./system.ts";

const LIST_QUERY = `query List($ids: [ID!]!) {
  subjects(ids: $ids) {
    id name { given family } address { postcode }
    police { known incidents { id category } intelligence { id grading } warningMarkers }
    socialCare { known openCase caseNotes { id } }
    health { known gpPractice { name } unscheduledCare { id } }
    education { known school { name } exclusions { id } }
    probation { known mappaLevel offences { id } }
    adultSocialCare { known safeguardingEnquiries { id } careNeeds }
  }
}`;

/**
 * The gateway sends each agency one `_entities` call carrying every subject of a request; the
 * per-request loaders must turn that into one SQL statement per store, however many subjects.
 */
describe("batching across the graph", () => {
  let system: TestSystem;
  let ids: string[];
  beforeAll(async () => {
    // The data path, every field of every agency: enforcement off so no field is left out.
    system = await startSystem({ subjects: 300, authorization: "off" });
    // Real people of the seeded population, with records in some agencies and not in others.
    ids = generatePopulation({ subjects: 300 })
      .persons.slice(0, 50)
      .map((p) => p.id);
  });
  afterAll(() => system?.stop());

  async function statementsFor(subjectIds: string[]): Promise<Record<string, number>> {
    const before = new Map(system.subgraphs.map((s) => [s.name, s.store.stats.statements]));
    const { body } = await system.query<{ subjects: { id: string }[] }>(
      LIST_QUERY,
      { ids: subjectIds },
      { as: "mgr.okafor" },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.subjects.map((s) => s.id)).toEqual(subjectIds);
    return Object.fromEntries(
      system.subgraphs.map((s) => [s.name, s.store.stats.statements - (before.get(s.name) ?? 0)]),
    );
  }

  it("costs one statement per store for 50 subjects", async () => {
    expect(ids).toHaveLength(50);
    const counts = await statementsFor(ids);
    process.stdout.write(`SQL statements for a 50-subject request: ${JSON.stringify(counts)}\n`);
    expect(counts).toEqual(Object.fromEntries(system.subgraphs.map((s) => [s.name, 1])));
  });

  it("costs the same for 5 subjects as for 50", async () => {
    expect(await statementsFor(ids.slice(0, 5))).toEqual(await statementsFor(ids));
  });
});
