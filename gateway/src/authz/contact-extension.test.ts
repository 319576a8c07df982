import { type GraphQLError, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { createAuditCollector } from "../audit/collect.ts";
import { Authority } from "./ability.ts";
import { filterResult } from "./filter.ts";
import {
  authority,
  fetched,
  LIST,
  people,
  requests,
  schema,
  sdl,
} from "./filter-pass.test-support.ts";
import { runCompiledPass } from "./filter-pass.ts";
import { compileOperation } from "./filter-plan.ts";
import { createJudge, type RequestAuthorization, WITHHELD } from "./judge.ts";
import { loadPolicyTexts, readPolicyDir } from "./policy/load.ts";
import { rewriteForAuthorization } from "./rewrite.ts";

// A withheld field's error names the owning agency's contact point (roles.yaml's `contact`): the
// one frozen object of that agency, on every error it owns, whichever pass built the answer and
// whatever the withheld value was.

const outsider = requests[4] as RequestAuthorization;
const { policy } = authority;

/** The withheld errors of LIST for a request, from re-execution and from the compiled pass. */
function withheldErrors(on: Authority, request: RequestAuthorization, seed: number) {
  const judge = createJudge(on, request);
  const document = parse(LIST);
  const variables = { ids: people };
  const result = fetched(rewriteForAuthorization(schema, document, judge), variables, seed);
  const slow = filterResult({
    schema,
    document,
    operationName: undefined,
    variables,
    result,
    judge,
  });
  const compiled = compileOperation(schema, document, undefined, judge.key);
  const fast =
    compiled && result.data
      ? runCompiledPass({
          compiled,
          variables,
          data: result.data as Record<string, unknown>,
          judge,
          collect: createAuditCollector((t, f) => judge.ownerOf(t, f)),
        })
      : undefined;
  const ofCode = (errors: readonly GraphQLError[] | undefined) =>
    (errors ?? []).filter((e) => e.extensions?.code === WITHHELD);
  return { slow: ofCode(slow.errors), fast: ofCode(fast?.errors) };
}

describe("the contact point on a withheld field's error", () => {
  it("is the owner's contact, one shared object per agency, in both passes", () => {
    const owners = new Set<string>();
    let slowCount = 0;
    let fastCount = 0;
    for (let seed = 1; seed <= 8; seed++) {
      const { slow, fast } = withheldErrors(authority, outsider, seed);
      slowCount += slow.length;
      fastCount += fast.length;
      for (const error of [...slow, ...fast]) {
        const { owner, contact } = error.extensions as { owner: string; contact: unknown };
        owners.add(owner);
        const own = policy.agencies.get(owner)?.contact;
        expect(own, `${owner} has a contact`).toBeDefined();
        // The very object the loader froze: no copy per error.
        expect(contact, error.path?.join(".")).toBe(own);
        expect(contact).toMatchObject({ agency: owner, name: expect.stringMatching(/\S/) });
      }
    }
    // Several agencies' fields are withheld from a social worker outside any enquiry.
    expect(slowCount).toBeGreaterThan(20);
    expect(fastCount, "the compiled pass answered some").toBeGreaterThan(10);
    expect(owners.size).toBeGreaterThanOrEqual(3);
  });

  it("names the same contact whatever value was withheld", () => {
    // Other seeds, other fetched values behind the same paths: a condition may then decide by
    // another rule (a sealed record's), but whom to ask depends on the field's owner alone.
    const seen = new Map<string, unknown>();
    let compared = 0;
    for (let seed = 11; seed <= 16; seed++)
      for (const error of withheldErrors(authority, outsider, seed).slow) {
        const path = error.path?.map((p) => (typeof p === "number" ? "#" : p)).join(".") ?? "";
        const contact = error.extensions.contact;
        expect(contact, path).toBeDefined();
        if (seen.has(path)) {
          expect(contact, path).toBe(seen.get(path));
          compared++;
        } else seen.set(path, contact);
      }
    expect(compared).toBeGreaterThan(20);
  });

  it("is left out for an agency roles.yaml names no contact for (a policies:init draft)", () => {
    const files = readPolicyDir(new URL("../../../policies", import.meta.url).pathname).files.map(
      (f) =>
        f.name === "roles.yaml"
          ? { ...f, text: f.text.replace(/^ {4}contact:\n(?: {6}.*\n)+/gm, "") }
          : f,
    );
    const loaded = loadPolicyTexts({ files, supergraphSdl: sdl });
    expect(loaded.problems).toEqual([]);
    const bare = new Authority(loaded.policy as NonNullable<typeof loaded.policy>);
    expect([...bare.policy.agencies.values()].every((a) => a.contact === undefined)).toBe(true);
    const { slow } = withheldErrors(bare, outsider, 3);
    expect(slow.length).toBeGreaterThan(5);
    for (const error of slow) {
      expect(Object.keys(error.extensions)).toEqual(["code", "rule", "reason", "owner"]);
    }
  });
});
