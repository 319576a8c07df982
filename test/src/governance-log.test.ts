import { connect, StringCodec } from "nats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectOperation } from "./contract.ts";
import { startSystem, type TestSystem } from "./system.ts";

const NATS_URL = process.env.MASH_TEST_NATS_URL ?? "nats://127.0.0.1:4222";
const subjectPrefix = `mash.test.${process.pid}.${Date.now()}`;
const REASON = "Child at immediate risk; duty manager authorised out of hours.";

interface Gov<T> {
  status: number;
  body: { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
}

/** The NATS server CI starts; locally the suite says so and checks the rest without it. */
async function natsReachable(): Promise<boolean> {
  try {
    const nc = await connect({ servers: NATS_URL, timeout: 1000 });
    await nc.close();
    return true;
  } catch {
    return false;
  }
}

const hasNats = await natsReachable();
if (!hasNats && process.env.CI === "true")
  throw new Error(`NATS is not reachable at ${NATS_URL}; CI must run the notification suite.`);
if (!hasNats) console.warn(`governance-log: NATS not reachable at ${NATS_URL}; NATS test not run`);

describe("governance officers and the access log", () => {
  let system: TestSystem;
  const natsMessages: { subject: string; body: Record<string, unknown> }[] = [];
  let stopNats: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    if (hasNats) {
      const nc = await connect({ servers: NATS_URL });
      const codec = StringCodec();
      const sub = nc.subscribe(`${subjectPrefix}.>`);
      (async () => {
        for await (const m of sub)
          natsMessages.push({ subject: m.subject, body: JSON.parse(codec.decode(m.data)) });
      })();
      await nc.flush();
      stopNats = () => nc.close();
    }
    system = await startSystem({
      subjects: 20,
      gateway: {
        audit: {
          store: undefined,
          nats: hasNats ? { url: NATS_URL, subject: subjectPrefix } : undefined,
          sqliteFullSync: false,
        },
      },
    });
  });
  afterAll(async () => {
    await system?.stop();
    await stopNats?.();
  });

  const governanceUrl = () => system.gatewayUrl.replace(/\/graphql$/, "/governance/graphql");
  const gov = async <T>(
    as: string | undefined,
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<Gov<T>> => {
    const response = await fetch(governanceUrl(), {
      method: "POST",
      headers: { "content-type": "application/json", ...(await system.headersFor({ as })) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as Gov<T>["body"] };
  };
  const practitioner = async (
    as: string,
    query: string,
    variables: Record<string, unknown>,
    extra: { enquiry?: string; breakGlass?: string } = {},
  ) => {
    const response = await fetch(system.gatewayUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(await system.headersFor({ as, ...extra })),
      },
      body: JSON.stringify({ query, variables }),
    });
    expect(response.status).toBe(200);
    return response.headers.get("x-request-id") as string;
  };

  type Entry = {
    requestId: string;
    userId: string;
    subjects: string[];
    released: string[];
    withheld: { field: string; rule: string }[];
    breakGlassReason: string | null;
    enquiryId: string | null;
  };
  const LOG = `query Log($filter: AccessLogFilter, $first: Int, $after: String) {
    accessLog(filter: $filter, first: $first, after: $after) {
      entries { seq requestId userId subjects released withheld { field rule } breakGlassReason enquiryId }
      nextCursor
    }
  }`;
  const log = async (as: string, filter: Record<string, unknown>, first = 50, after?: string) => {
    const r = await gov<{ accessLog: { entries: Entry[]; nextCursor: string | null } }>(as, LOG, {
      filter,
      first,
      after,
    });
    expect(r.body.errors).toBeUndefined();
    return r.body.data?.accessLog as {
      entries: (Entry & { seq: number })[];
      nextCursor: string | null;
    };
  };

  it("shows an officer who saw their agency's data about a person, and only their agency's part", async () => {
    const rid = await practitioner(
      "sw.patel",
      projectOperation("SubjectOverview"),
      { id: "S-1003" },
      {
        enquiry: "ENQ-2001",
      },
    );
    const police = await log("ig.police", { subjectId: "S-1003" });
    const mine = police.entries.find((e) => e.requestId === rid);
    expect(mine).toBeDefined();
    expect(mine?.subjects).toEqual(["S-1003"]);
    expect(mine?.released).toContain("Intelligence.summary");
    expect(mine?.withheld).toContainEqual({
      field: "Intelligence.source",
      rule: "police-intelligence-sources",
    });
    // Police's view of the record holds no other agency's fields.
    const policeTypes = /^(Subject\.police|Police|Intelligence)/;
    expect(mine?.released.every((f) => policeTypes.test(f))).toBe(true);
    const health = await log("ig.health", { subjectId: "S-1003" });
    const theirs = health.entries.find((e) => e.requestId === rid);
    expect(theirs?.released.some((f) => policeTypes.test(f))).toBe(false);
    expect(theirs?.released.length).toBeGreaterThan(0);
  });

  it("shows practitioners' access by default, and officers' own console traffic one filter away", async () => {
    const rid = await practitioner(
      "sw.patel",
      projectOperation("SubjectOverview"),
      { id: "S-1003" },
      {
        enquiry: "ENQ-2001",
      },
    );
    await log("ig.police2", {});
    const TRAFFIC = `query T($filter: AccessLogFilter) {
      accessLog(filter: $filter, first: 200) { entries { requestId userId action } }
    }`;
    type Traffic = {
      accessLog: { entries: { requestId: string; userId: string; action: string | null }[] };
    };
    const view = async (filter: Record<string, unknown>) =>
      (await gov<Traffic>("ig.police", TRAFFIC, { filter })).body.data?.accessLog.entries ?? [];
    const practitioners = await view({});
    expect(practitioners.some((e) => e.requestId === rid)).toBe(true);
    expect(practitioners.every((e) => e.action === null)).toBe(true);
    const governance = await view({ traffic: "GOVERNANCE" });
    expect(
      governance.some((e) => e.userId === "ig.police2" && e.action === "query:accessLog"),
    ).toBe(true);
    expect(governance.some((e) => e.requestId === rid)).toBe(false);
    const all = await view({ traffic: "ALL" });
    expect(all.length).toBe(practitioners.length + governance.length + 1); // + the GOVERNANCE view
  });

  it("filters by user, enquiry and break glass, and pages without overlap", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(
        await practitioner(
          "nurse.evans",
          "query($id: ID!) { subject(id: $id) { id police { known } } }",
          {
            id: "S-1001",
          },
        ),
      );
    const byUser = await log("ig.police", { userId: "nurse.evans" }, 50);
    expect(byUser.entries.every((e) => e.userId === "nurse.evans")).toBe(true);
    expect(byUser.entries.map((e) => e.requestId)).toEqual(expect.arrayContaining(ids));
    const page1 = await log("ig.police", { userId: "nurse.evans" }, 2);
    expect(page1.entries).toHaveLength(2);
    expect(page1.nextCursor).not.toBeNull();
    const page2 = await log(
      "ig.police",
      { userId: "nurse.evans" },
      2,
      page1.nextCursor ?? undefined,
    );
    expect(page2.entries).toHaveLength(2);
    expect(page2.entries[0]?.seq).toBeLessThan(page1.entries[1]?.seq as number);
    const byEnquiry = await log("ig.police", { enquiryId: "ENQ-2001" });
    expect(byEnquiry.entries.length).toBeGreaterThan(0);
    expect(byEnquiry.entries.every((e) => e.enquiryId === "ENQ-2001")).toBe(true);
    expect(byEnquiry.entries.some((e) => ids.includes(e.requestId))).toBe(false);
    const none = await log("ig.police", { userId: "nurse.evans", breakGlass: true });
    expect(none.entries).toEqual([]);
    const future = await log("ig.police", { from: "2999-01-01T00:00:00Z" });
    expect(future.entries).toEqual([]);
  });

  it("refuses practitioners and strangers, and reports bad input", async () => {
    const me = "{ me { id agency } }";
    expect((await gov("sw.patel", me)).status).toBe(403);
    expect((await gov(undefined, me)).status).toBe(401);
    const ok = await gov<{ me: { agency: string } }>("ig.police", me);
    expect(ok.body.data?.me.agency).toBe("police");
    const bad = await gov("ig.police", LOG, { filter: { from: "last tuesday" } });
    expect(bad.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(bad.body.errors?.[0]?.message).toContain("from");
    const cursor = await gov("ig.police", LOG, { after: "DROP TABLE" });
    expect(cursor.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  const NOTES = `query N($ack: Boolean) { notifications(acknowledged: $ack, first: 100) {
    notifications { id kinds userId reason subjects fields acknowledgedBy }
  } }`;
  type Note = {
    id: string;
    kinds: string[];
    userId: string;
    reason: string | null;
    subjects: string[];
    fields: string[];
    acknowledgedBy: string | null;
  };
  const notes = async (as: string, ack?: boolean) => {
    const r = await gov<{ notifications: { notifications: Note[] } }>(as, NOTES, { ack });
    expect(r.body.errors).toBeUndefined();
    return r.body.data?.notifications.notifications ?? [];
  };

  it("tells each owning agency of a break-glass access and lets its officers acknowledge it", async () => {
    await practitioner(
      "mgr.okafor",
      "query($id: ID!) { subject(id: $id) { id address { postcode } police { known warningMarkers } health { known } } }",
      { id: "S-1003" },
      { enquiry: "ENQ-2001", breakGlass: REASON },
    );
    const police = (await notes("ig.police", false)).find((n) => n.reason === REASON);
    expect(police).toMatchObject({ userId: "mgr.okafor", subjects: ["S-1003"] });
    expect(police?.kinds).toEqual(["BREAK_GLASS"]);
    expect(police?.fields.every((f) => /^(Subject\.police|Police)/.test(f))).toBe(true);
    // Health holds nothing on S-1003 (its section says `known: false`): it is not told.
    expect((await notes("ig.health", false)).some((n) => n.reason === REASON)).toBe(false);

    const ACK = "mutation A($id: ID!) { acknowledgeNotification(id: $id) { id acknowledgedBy } }";
    // Another agency's notification does not exist for this officer.
    const foreign = await gov("ig.health", ACK, { id: police?.id });
    expect(foreign.body.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const acked = await gov<{ acknowledgeNotification: { acknowledgedBy: string } }>(
      "ig.police2",
      ACK,
      { id: police?.id },
    );
    expect(acked.body.data?.acknowledgeNotification.acknowledgedBy).toBe("ig.police2");
    expect((await notes("ig.police", false)).some((n) => n.id === police?.id)).toBe(false);
    expect((await notes("ig.police", true)).some((n) => n.id === police?.id)).toBe(true);
  });

  it("tells the owners whenever a flagged (sealed) person is looked at, without break glass", async () => {
    await practitioner(
      "nurse.evans",
      "query($id: ID!) { subject(id: $id) { id police { known } socialCare { known } } }",
      {
        id: "S-1005",
      },
    );
    const flagged = (await notes("ig.test.childrens-services", false)).find(
      (n) => n.userId === "nurse.evans" && n.subjects.includes("S-1005"),
    );
    expect(flagged?.kinds).toEqual(["FLAGGED_SUBJECT"]);
    // Police hold nothing on S-1005: told nothing, though their `known: false` was returned.
    expect(
      (await notes("ig.police", false)).some(
        (n) => n.userId === "nurse.evans" && n.subjects.includes("S-1005"),
      ),
    ).toBe(false);
    // An unflagged person makes no notification.
    const before = (await notes("ig.police")).length;
    await practitioner(
      "nurse.evans",
      "query($id: ID!) { subject(id: $id) { id police { known } } }",
      {
        id: "S-1004",
      },
    );
    expect((await notes("ig.police")).length).toBe(before);
  });

  it.runIf(hasNats)("publishes each notification to NATS for the owning agency", async () => {
    const rid = await practitioner(
      "mgr.okafor",
      "query($id: ID!) { subject(id: $id) { id socialCare { known } } }",
      { id: "S-1005" },
      { enquiry: "ENQ-2002", breakGlass: `${REASON} (NATS)` },
    );
    const deadline = Date.now() + 5000;
    const forPolice = () =>
      natsMessages.find(
        (m) => m.body.requestId === rid && m.subject === `${subjectPrefix}.childrens-services`,
      );
    while (!forPolice() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const message = forPolice();
    // The hub (owner of the person's identity fields) is told too, on its own subject.
    expect(
      natsMessages.some((m) => m.body.requestId === rid && m.subject === `${subjectPrefix}.mash`),
    ).toBe(true);
    expect(message?.body).toMatchObject({
      agency: "childrens-services",
      userId: "mgr.okafor",
      kinds: ["BREAK_GLASS", "FLAGGED_SUBJECT"],
    });
  });
});
