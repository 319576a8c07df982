import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLES } from "../../gateway/src/console/examples.ts";
import { projectOperation } from "./contract.ts";
import { startSystem, type TestSystem } from "./system.ts";

// Each process tab that needs no earlier step's id works as preloaded, on the golden fixtures,
// for the user it is written for: no error, and an answer about the fixture it names. (The tabs
// that take an earlier step's id run in mash-process.test.ts, in order.)
const standalone = Object.entries(EXAMPLES).filter(
  ([, example]) =>
    example.as !== undefined && !JSON.stringify(example.variables).includes("<id returned by"),
);

describe("the console's process examples on the golden fixtures", () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startSystem({ subjects: 20 });
  });
  afterAll(() => system?.stop());

  it("include every step that can run on the fixtures alone", () => {
    expect(standalone.map(([name]) => name).sort()).toEqual([
      "AnswerResearch",
      "EnquiryProcess",
      "MashPerformance",
      "RecordContact",
      "RecordDisagreement",
      "RecordReferrerFeedback",
    ]);
  });

  it.each(standalone)("%s answers as preloaded", async (name, example) => {
    const { status, body } = await system.query<Record<string, Record<string, unknown>>>(
      projectOperation(name),
      { ...example.variables },
      { as: example.as },
    );
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const answer = Object.values(body.data ?? {})[0];
    expect(answer).toEqual(expect.any(Object));
    const vars = JSON.stringify(example.variables);
    // The answer is about what the example asked: its enquiry, or its period.
    const asked = /"(ENQ-\d+)"/.exec(vars)?.[1];
    if (asked && "id" in (answer ?? {})) expect(answer?.id).toBe(asked);
    if (name === "MashPerformance") expect(answer?.enquiriesOpened).toBeGreaterThan(0);
  });
});
