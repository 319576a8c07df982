import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSystem, type TestSystem } from "../../../test/src/system.ts";
import {
  BadRequestError,
  createClient,
  ForbiddenError,
  isWithheld,
  MashRequestError,
  RateLimitedError,
  SubjectOverviewDocument,
  UnauthenticatedError,
  unavailableAgencies,
  withheldFields,
} from "./index.ts";

const REQUEST_ID = /^[\w-]{8,}$/;
// The anonymous budget is small here, so the suite can spend it and meet the 429.
const ANONYMOUS_BURST = 3;

/** What a refused request rejects with, for assertions on its class and facts. */
async function refusal(promise: Promise<unknown>): Promise<MashRequestError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof MashRequestError) return error;
    throw error;
  }
  throw new Error("expected the request to be refused");
}

describe("the client kit against the whole graph", () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startSystem({
      subjects: 20,
      gateway: { anonymousRateLimit: { perMinute: 1, burst: ANONYMOUS_BURST } },
    });
  });
  afterAll(() => system?.stop());

  const asPatel = (options: { enquiry?: string; breakGlass?: string } = {}) =>
    createClient({ url: system.gatewayUrl, token: () => system.token("sw.patel"), ...options });

  it("SubjectOverview of S-1001 as sw.patel in ENQ-2001: typed data, the withheld service with its owner, a request id", async () => {
    const { data, errors, requestId } = await asPatel({ enquiry: "ENQ-2001" }).request(
      SubjectOverviewDocument,
      { id: "S-1001" },
    );
    expect(data?.subject?.name).toEqual({ given: "Amelia", family: "Doe" });
    expect(data?.subject?.address?.postcode).toBe("PR1 4XY");
    expect(data?.subject?.health?.mentalHealth?.service).toBeNull();
    expect(requestId).toMatch(REQUEST_ID);

    expect(withheldFields(errors)).toContainEqual({
      path: "subject.health.mentalHealth.service",
      segments: ["subject", "health", "mentalHealth", "service"],
      rule: "health-mental-health-service",
      reason: "Mental health detail stays with health; ask the health safeguarding nurse.",
      owner: "health",
      contact: {
        agency: "health",
        name: "Health safeguarding nurse (MASH)",
        phone: "01632 960003",
        email: "mash.health@example.invalid",
      },
    });
    expect(isWithheld(errors, "subject.health.mentalHealth.service")).toBe(true);
    expect(isWithheld(errors, ["subject", "health", "mentalHealth", "service"])).toBe(true);
    expect(isWithheld(errors, "subject.health.mentalHealth.openToServices")).toBe(false);
    expect(isWithheld(errors, "subject.address")).toBe(false);
    expect(unavailableAgencies(errors)).toEqual([]);
  });

  it("sends the enquiry header: without it, her address is withheld too, with its reason", async () => {
    const { data, errors } = await asPatel().request(SubjectOverviewDocument, { id: "S-1001" });
    expect(data?.subject?.address).toBeNull();
    expect(isWithheld(errors, "subject.address")).toBe(true);
    expect(isWithheld(errors, "subject.address.postcode")).toBe(true);
    const address = withheldFields(errors).find((f) => f.path === "subject.address");
    expect(address?.owner).toBeTruthy();
    expect(address?.reason.length).toBeGreaterThan(10);
  });

  it("a request without a token: UnauthenticatedError (401), no data, a request id", async () => {
    const client = createClient({ url: system.gatewayUrl, enquiry: "ENQ-2001" });
    const error = await refusal(client.request(SubjectOverviewDocument, { id: "S-1001" }));
    expect(error).toBeInstanceOf(UnauthenticatedError);
    expect(error).toMatchObject({
      name: "UnauthenticatedError",
      status: 401,
      code: "UNAUTHENTICATED",
    });
    expect(error.requestId).toMatch(REQUEST_ID);
    expect(error.message).toMatch(/token/i);
  });

  it("an enquiry that does not exist: BadRequestError (400) naming it", async () => {
    const client = asPatel({ enquiry: "ENQ-9999" });
    const error = await refusal(client.request(SubjectOverviewDocument, { id: "S-1001" }));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ status: 400, code: "BAD_USER_INPUT" });
    expect(error.message).toContain("ENQ-9999");
  });

  it("breaking the glass from a role that may not: ForbiddenError (403), per request", async () => {
    const error = await refusal(
      asPatel().request(
        SubjectOverviewDocument,
        { id: "S-1005" },
        { breakGlass: "Birth family approached the school; need the address to plan a visit" },
      ),
    );
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error).toMatchObject({ status: 403, code: "BREAK_GLASS_NOT_PERMITTED" });
  });

  it("past the budget for callers not signed in: RateLimitedError (429) with Retry-After", async () => {
    const client = createClient({ url: system.gatewayUrl, token: "not-a-token" });
    const seen: MashRequestError[] = [];
    for (let i = 0; i <= ANONYMOUS_BURST; i++) {
      seen.push(await refusal(client.request(SubjectOverviewDocument, { id: "S-1001" })));
    }
    const limited = seen.find((e) => e instanceof RateLimitedError);
    expect(seen[0]).toBeInstanceOf(UnauthenticatedError);
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect(limited).toMatchObject({ status: 429, code: "RATE_LIMITED" });
    expect((limited as RateLimitedError).retryAfterSeconds).toBeGreaterThan(0);
  });

  // Last: it stops an agency.
  it("an agency that is down: its section null, unavailableAgencies names it where, the rest answers", async () => {
    await system.subgraphs.find((s) => s.name === "health")?.stop();
    const { data, errors } = await asPatel({ enquiry: "ENQ-2001" }).request(
      SubjectOverviewDocument,
      { id: "S-1001" },
    );
    expect(data?.subject?.name?.given).toBe("Amelia");
    expect(data?.subject?.health).toBeNull();
    expect(unavailableAgencies(errors)).toEqual([
      { agency: "health", path: "subject.health", message: expect.stringMatching(/not answering/) },
    ]);
    expect(isWithheld(errors, "subject.health")).toBe(false);
  });
});
