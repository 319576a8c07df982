import { connect, StringCodec } from "nats";
import { parseDocument } from "yaml";
import { governanceUrl, graphql } from "./graphql-client.ts";
import { MANAGER, NURSE, SOCIAL_WORKER } from "./identities.ts";
import { natsUrl } from "./services.ts";
import { BUDGET, type GatewaySlot, type Topology } from "./topology.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `done` holds, at most `ms`; how long it took, or undefined if it never did. */
async function within(ms: number, done: () => Promise<boolean>): Promise<number | undefined> {
  const started = Date.now();
  while (Date.now() - started < ms) {
    if (await done()) return Date.now() - started;
    await sleep(20);
  }
  return undefined;
}

/**
 * One user sends three budgets' worth through HAProxy, round robin over the three gateways.
 * With the budget shared in Redis about one budget is allowed in all; counted alone, each
 * gateway would allow a budget of its own.
 */
export async function spendOneBudget(t: Topology) {
  const { token } = await t.identities.fresh(SOCIAL_WORKER);
  const answers: { status: number; servedBy: string | null }[] = [];
  for (let i = 0; i < 3 * BUDGET.burst; i++) {
    const a = await graphql(t.url, { token, query: "query Budget { __typename }" });
    answers.push({ status: a.status, servedBy: a.servedBy });
  }
  const byStatus = (s: number) => answers.filter((a) => a.status === s);
  return {
    sent: answers.length,
    allowed: byStatus(200).length,
    refused: byStatus(429).length,
    /** Which gateways allowed, and which refused: each of the three should have done both. */
    allowedBy: new Set(byStatus(200).map((a) => a.servedBy)),
    refusedBy: new Set(byStatus(429).map((a) => a.servedBy)),
  };
}

/** A break-glass read through each gateway; how long until NATS carried its notification. */
export async function notificationsFromEach(t: Topology) {
  const nc = await connect({ servers: natsUrl });
  const seen = new Map<string, string>();
  try {
    const codec = StringCodec();
    const sub = nc.subscribe(`${t.natsSubject}.>`);
    void (async () => {
      for await (const m of sub) {
        const body = JSON.parse(codec.decode(m.data)) as { requestId?: string };
        if (body.requestId) seen.set(body.requestId, m.subject);
      }
    })();
    await nc.flush();
    const delivered = new Map<string, number | undefined>();
    for (const gateway of t.gateways) {
      const { token } = await t.identities.fresh(MANAGER);
      const answer = await graphql(gateway.url, {
        token,
        query: "query($id: ID!) { subject(id: $id) { id socialCare { known } } }",
        variables: { id: "S-1005" },
        enquiry: "ENQ-2002",
        breakGlass: "Child at immediate risk; duty manager authorised out of hours (topology).",
      });
      const rid = answer.requestId;
      delivered.set(
        gateway.name,
        answer.status === 200 && rid ? await within(5000, async () => seen.has(rid)) : undefined,
      );
    }
    return delivered;
  } finally {
    await nc.close();
  }
}

const READ_ADDRESS = "query($id: ID!) { subject(id: $id) { address { postcode } } }";

/** Whether a health nurse in `enquiry` reads S-1004's address through this gateway. */
async function nurseReadsAddress(t: Topology, gateway: GatewaySlot, enquiry: string) {
  const { token } = await t.identities.fresh(NURSE);
  const answer = await graphql<{ subject: { address: unknown } }>(gateway.url, {
    token,
    query: READ_ADDRESS,
    variables: { id: "S-1004" },
    enquiry,
  });
  if (answer.status !== 200) throw new Error(`nurse read: HTTP ${answer.status}`);
  return answer.body.data?.subject.address != null;
}

/**
 * An enquiry opened and closed through the first gateway: before the close the nurse of an
 * asked agency reads through every gateway (each holds the purpose in its cache), after it
 * through none. How long after the close each gateway stopped giving the address.
 */
export async function closeEndsPurposeEverywhere(t: Topology) {
  const [first] = t.gateways as [GatewaySlot];
  const { token } = await t.identities.fresh(MANAGER);
  const opened = await graphql<{ openEnquiry: { id: string } }>(first.url, {
    token,
    query: "mutation($input: OpenEnquiryInput!) { openEnquiry(input: $input) { id } }",
    variables: {
      input: {
        reason: "Nursery reports bruising on both arms",
        rag: "RED",
        subjectIds: ["S-1004"],
        ask: ["health"],
      },
    },
  });
  const id = opened.body.data?.openEnquiry.id;
  if (!id) throw new Error(`openEnquiry: ${JSON.stringify(opened.body)}`);
  const before = new Map<string, boolean>();
  for (const g of t.gateways) before.set(g.name, await nurseReadsAddress(t, g, id));
  const closed = await graphql<{ closeEnquiry: { status: string } }>(first.url, {
    token,
    query: `mutation($id: ID!) { closeEnquiry(id: $id, outcome: NO_FURTHER_ACTION,
      reason: "Explained by a fall at nursery") { status } }`,
    variables: { id },
  });
  if (closed.body.data?.closeEnquiry.status !== "CLOSED")
    throw new Error(`closeEnquiry: ${JSON.stringify(closed.body)}`);
  const at = Date.now();
  const after = new Map<string, number | undefined>();
  await Promise.all(
    t.gateways.map(async (g) =>
      after.set(
        g.name,
        await within(3000, async () => !(await nurseReadsAddress(t, g, id))).then((ms) =>
          ms === undefined ? undefined : Date.now() - at,
        ),
      ),
    ),
  );
  return { before, endedAfterMs: after };
}

/** The police policy text without one rule: a narrowing an officer might make. */
function withoutRule(text: string, id: string): string {
  const doc = parseDocument(text);
  const rules = doc.get("rules") as { items: { get(k: string): unknown }[] };
  const index = rules.items.findIndex((r) => r.get("id") === id);
  if (index < 0) throw new Error(`no rule ${id}`);
  rules.items.splice(index, 1);
  return doc.toString();
}

const NURSE_INCIDENTS =
  "query($id: ID!) { subject(id: $id) { police { incidents { id category } } } }";

/** Whether a health nurse in ENQ-2001 sees S-1003's police incidents through this gateway. */
export async function nurseSeesIncidents(t: Topology, gateway: GatewaySlot) {
  const { token } = await t.identities.fresh(NURSE);
  const answer = await graphql<{ subject: { police: { incidents: unknown[] | null } | null } }>(
    gateway.url,
    { token, query: NURSE_INCIDENTS, variables: { id: "S-1003" }, enquiry: "ENQ-2001" },
  );
  const incidents = answer.body.data?.subject.police?.incidents;
  return Array.isArray(incidents) && incidents.length > 0;
}

/**
 * The police narrow their rules through the first gateway, the two-person way (one officer
 * proposes and publishes, another approves); how long until each gateway enforces it.
 */
export async function publicationEnforcedEverywhere(t: Topology) {
  const [first] = t.gateways as [GatewaySlot];
  const gov = async <T>(as: string, query: string, variables: Record<string, unknown> = {}) => {
    const answer = await graphql<T>(governanceUrl(first.url), {
      token: await t.identities.fixture(as),
      query,
      variables,
    });
    if (answer.body.errors || !answer.body.data)
      throw new Error(`governance as ${as}: ${JSON.stringify(answer.body)}`);
    return answer.body.data;
  };
  const before = new Map<string, boolean>();
  for (const g of t.gateways) before.set(g.name, await nurseSeesIncidents(t, g));
  const live = await gov<{ livePolicy: { text: string } }>("ig.police", "{ livePolicy { text } }");
  const text = withoutRule(live.livePolicy.text, "police-incident-facts-for-health");
  const { saveDraft } = await gov<{ saveDraft: { id: string } }>(
    "ig.police",
    `mutation($text: String!) { saveDraft(text: $text, note: "topology") { id } }`,
    { text },
  );
  const id = saveDraft.id;
  await gov(
    "ig.police",
    `mutation($id: ID!) { propose(versionId: $id, reason: "minimum necessary") { id } }`,
    { id },
  );
  await gov(
    "ig.police2",
    `mutation($id: ID!) { approve(versionId: $id, comment: "agreed") { id } }`,
    { id },
  );
  const published = await gov<{ publish: { status: string } }>(
    "ig.police",
    "mutation($id: ID!) { publish(versionId: $id) { status } }",
    { id },
  );
  if (published.publish.status !== "PUBLISHED") throw new Error("not published");
  const at = Date.now();
  const after = new Map<string, number | undefined>();
  await Promise.all(
    t.gateways.map(async (g) =>
      after.set(
        g.name,
        await within(3000, async () => !(await nurseSeesIncidents(t, g))).then((ms) =>
          ms === undefined ? undefined : Date.now() - at,
        ),
      ),
    ),
  );
  return { before, enforcedAfterMs: after };
}
