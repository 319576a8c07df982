import { rawResults, rawResultsAvailable } from "@mash/gateway";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contractExpectations, contractOperation } from "./contract.ts";
import { startSystem, type TestSystem } from "./system.ts";

/**
 * The one walk (raw-results.ts): the compiled pass builds the answer from the fetched data and
 * Apollo's shaping is skipped. Differentially: every read in the contract's role-by-role
 * expectations, and a few more, answered with the walk and with Apollo's shaping (the hook
 * switched off, as before it) must come back byte for byte the same.
 */
describe("answers built from the fetched data in one walk", () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    rawResults.enabled = true;
    await system?.stop();
  });

  const reads = contractExpectations().filter(
    (c) => !/^\s*mutation\b/m.test(contractOperation(c.operation)),
  );
  // Beyond the contract: a search, a list with people in and out of the enquiry (hundreds of
  // withheld fields), an abstract type through an alias, and @skip/@include from variables.
  const LIST = `query List($ids: [ID!]!, $police: Boolean!) { subjects(ids: $ids) { id
    name { given family } dateOfBirth address { postcode }
    police @include(if: $police) { known incidents { id category } }
    socialCare { known openCase } health { known gpPractice { name } }
    education { known attendancePercent } probation { known mappaLevel } adultSocialCare { known } } }`;
  const ids = Array.from({ length: 40 }, (_, i) => `S-${1001 + i}`);
  const extra = [
    {
      name: "a search by name",
      as: "sw.patel",
      enquiry: "ENQ-2001",
      query: contractOperation("FindSubject"),
      variables: { name: "Smith" } as Record<string, unknown>,
    },
    {
      name: "a list of forty, police included",
      as: "mgr.okafor",
      enquiry: "ENQ-2001",
      query: LIST,
      variables: { ids, police: true },
    },
    {
      name: "a list of forty, police skipped",
      as: "pc.jones",
      enquiry: "ENQ-2001",
      query: LIST,
      variables: { ids, police: false },
    },
    {
      name: "a list with no enquiry stated",
      as: "sw.patel",
      enquiry: undefined,
      query: LIST,
      variables: { ids, police: true },
    },
  ];

  it("is in place: Apollo's shaping can be skipped in this process", () => {
    expect(rawResultsAvailable).toBe(true);
  });

  it.each(reads.map((c) => [c.name, c] as const))(
    "%s: the same answer with and without Apollo's shaping",
    async (_name, c) => {
      const who = {
        as: c.as,
        ...(c.enquiry ? { enquiry: c.enquiry } : {}),
        ...(c.breakGlass ? { breakGlass: c.breakGlass } : {}),
      };
      const query = contractOperation(c.operation);
      const before = rawResults.answered;
      rawResults.enabled = true;
      const walked = await system.query(query, c.variables, who);
      const answeredInOneWalk = rawResults.answered - before;
      rawResults.enabled = false;
      const shaped = await system.query(query, c.variables, who);
      rawResults.enabled = true;
      expect(JSON.stringify(walked)).toBe(JSON.stringify(shaped));
      expect(rawResults.answered - before).toBe(answeredInOneWalk);
      if (walked.status === 200 && walked.body.data) expect(answeredInOneWalk).toBe(1);
    },
  );

  it.each(extra.map((c) => [c.name, c] as const))(
    "%s: the same answer with and without Apollo's shaping",
    async (_name, c) => {
      const who = { as: c.as, ...(c.enquiry ? { enquiry: c.enquiry } : {}) };
      const before = rawResults.answered;
      rawResults.enabled = true;
      const walked = await system.query(c.query, c.variables, who);
      const answeredInOneWalk = rawResults.answered - before;
      rawResults.enabled = false;
      const shaped = await system.query(c.query, c.variables, who);
      rawResults.enabled = true;
      expect(walked.status).toBe(200);
      expect(JSON.stringify(walked)).toBe(JSON.stringify(shaped));
      expect(answeredInOneWalk).toBe(1);
    },
  );
});
