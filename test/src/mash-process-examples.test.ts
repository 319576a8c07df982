import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLES, suggestedSignIn, TAB_ORDER } from "../../gateway/web/console/examples.ts";
import { fillReturnedIds, rememberReturnedId } from "../../gateway/web/console/returned-ids.ts";
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

// The whole strip, as a practitioner would run it tab by tab on a fresh seed, without the
// browser (the browser suite does the same through the console where Chromium is present).
describe("every console tab, in tab order, on a fresh seed", () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startSystem({ subjects: 20 });
  });
  afterAll(() => system?.stop());

  it("answers each tab's example as the user it suggests, ids filled from earlier tabs", async () => {
    const returned = new Map<string, string>();
    for (const name of TAB_ORDER) {
      const { user, enquiry } = suggestedSignIn(name);
      const filled = fillReturnedIds(EXAMPLES[name]?.variables ?? {}, returned);
      expect(filled.missing, name).toEqual([]);
      const document = projectOperation(name);
      const { status, body } = await system.query(
        document,
        filled.variables as Record<string, unknown>,
        { as: user, enquiry },
      );
      expect(status, name).toBe(200);
      const mutation = /^mutation /m.test(document);
      const refused = (body.errors ?? []).filter(
        (e) => mutation || e.extensions?.code !== "UNAUTHORIZED_FIELD_OR_TYPE",
      );
      expect(refused, name).toEqual([]);
      rememberReturnedId(name, body, returned);
    }
  });
});
