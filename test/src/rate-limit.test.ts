import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AsUser, type GraphQLBody, startSystem, type TestSystem } from "./system.ts";

/** Six a minute, three at once: the fourth quick request of a user is refused. */
const rateLimit = { perMinute: 6, burst: 3, redisUrl: undefined };

describe("per-user rate limit at the gateway", () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startSystem({ subjects: 20, gateway: { rateLimit } });
  });
  afterAll(() => system?.stop());

  async function post(who: AsUser) {
    const response = await fetch(system.gatewayUrl, {
      method: "POST",
      headers: { "content-type": "application/json", ...(await system.headersFor(who)) },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    return {
      status: response.status,
      retryAfter: response.headers.get("retry-after"),
      body: (await response.json()) as GraphQLBody<{ __typename: string }>,
    };
  }

  it("refuses a user over the limit with 429 and when to retry, and no one else", async () => {
    const statuses: number[] = [];
    let refused: Awaited<ReturnType<typeof post>> | undefined;
    for (let i = 0; i < 10 && !refused; i++) {
      const answer = await post({ as: "sw.patel" });
      statuses.push(answer.status);
      if (answer.status === 429) refused = answer;
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    if (!refused) throw new Error("never refused");
    // One request every 10 s refills; the burst was spent within a second or two.
    const seconds = Number(refused.retryAfter);
    expect(Number.isInteger(seconds)).toBe(true);
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThanOrEqual(10);
    expect(refused.body).toEqual({
      errors: [
        {
          message: `Too many requests: 6 per minute for each user. Try again in ${seconds} seconds.`,
          extensions: { code: "RATE_LIMITED" },
        },
      ],
    });

    // Another user has a budget of their own.
    const other = await post({ as: "pc.jones" });
    expect(other.status).toBe(200);
    expect(other.body.data).toEqual({ __typename: "Query" });
    // The limited user stays limited.
    expect((await post({ as: "sw.patel" })).status).toBe(429);
  });

  it("still answers an unauthenticated request 401, not 429", async () => {
    const answer = await post({});
    expect(answer.status).toBe(401);
    expect(answer.retryAfter).toBeNull();
  });
});
