import { type Outcome, startLoad } from "./load.ts";
import { type GatewaySlot, type Topology, untilStates } from "./topology.ts";

export interface ChaosRun {
  outcomes: Outcome[];
  killed: GatewaySlot;
  killAt: number;
  /** The requests in flight at the kill, and of them those HAProxy had at the killed gateway. */
  inFlightAtKill: Set<number>;
  onKilledAtKill: Set<number>;
  /** From SIGKILL to HAProxy reporting the killed gateway DOWN. */
  killToDownMs: number;
  drained: GatewaySlot;
  termAt: number;
  /** When HAProxy reported the draining gateway DOWN (if it did before it exited), and the exit. */
  drainedDownAt: number | undefined;
  drainedExitAt: number;
  drainedExit: string;
  /** When the restarted gateway listened again, and when HAProxy reported it UP. */
  restartedAt: number;
  restartedUpAt: number;
  /** Requests HAProxy had to send again elsewhere, from SIGTERM until the end of the load. */
  gracefulRedispatches: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits for `condition`, checked every 50 ms; fails naming `what` after `ms`. */
async function until(what: string, ms: number, condition: () => boolean): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(50);
  }
}

/** Until the process has exited, when HAProxy first reported the server DOWN, if it did. */
async function downBeforeExit(t: Topology, slot: GatewaySlot): Promise<number | undefined> {
  let exited = false;
  void slot.process.exited.then(() => {
    exited = true;
  });
  let downAt: number | undefined;
  while (!exited) {
    const state = (await t.haproxy.states()).get(slot.name) ?? "";
    if (downAt === undefined && state.startsWith("DOWN")) downAt = Date.now();
    await sleep(20);
  }
  return downAt;
}

/**
 * Load through HAProxy throughout; one gateway killed outright (SIGKILL) with requests in
 * flight; then, once HAProxy has taken it out, another stopped gracefully (SIGTERM) and started
 * again on its port, and the load goes on until the restarted one has served.
 */
export async function killThenRestart(t: Topology): Promise<ChaosRun> {
  const [killed, drained] = t.gateways as [GatewaySlot, GatewaySlot];
  const load = startLoad({
    url: t.url,
    concurrency: 12,
    identities: t.identities,
    mutationEvery: 4,
  });
  try {
    const servedBy = (name: string, after = 0) =>
      load.outcomes.filter((o) => o.servedBy === name && o.sentAt > after).length;
    await until("the load reaching every gateway", 30_000, () =>
      t.gateways.every((g) => servedBy(g.name) >= 30),
    );
    // The kill at a moment when HAProxy has requests at that gateway: new ones are held back
    // for the few milliseconds it takes to ask HAProxy which connection is at which gateway,
    // and for the process to be gone.
    let kill: Pick<ChaosRun, "killAt" | "inFlightAtKill" | "onKilledAtKill"> | undefined;
    for (let attempt = 0; !kill && attempt < 50; attempt++) {
      kill = await load.pause(async (inFlight) => {
        const sessions = await t.haproxy.sessions();
        const onKilled = [...inFlight]
          .filter(([, port]) => port !== undefined && sessions.get(port) === killed.name)
          .map(([n]) => n);
        if (onKilled.length === 0) return undefined;
        const killAt = Date.now();
        killed.process.child.kill("SIGKILL");
        // SIGKILL takes a moment: until the process is gone its listening socket still accepts,
        // and a request sent then would be in flight on it without having been at the kill.
        await killed.process.exited;
        return {
          killAt,
          inFlightAtKill: new Set(inFlight.keys()),
          onKilledAtKill: new Set(onKilled),
        };
      });
      if (!kill) await sleep(30);
    }
    if (!kill) throw new Error(`${killed.name} never had a request in flight to be killed with`);
    const { killAt, inFlightAtKill, onKilledAtKill } = kill;
    const killToDownMs = await untilStates(t.haproxy, { [killed.name]: "DOWN" }, 10_000);
    await sleep(1500);

    const before = await t.haproxy.retries();
    const termAt = Date.now();
    drained.process.child.kill("SIGTERM");
    const drainedDownAt = await downBeforeExit(t, drained);
    const drainedExitAt = Date.now();
    const drainedExit = await drained.process.exited;
    await t.restart(drained);
    const restartedAt = Date.now();
    await untilStates(t.haproxy, { [drained.name]: "UP" }, 10_000);
    const restartedUpAt = Date.now();
    await until(
      `the restarted ${drained.name} serving`,
      30_000,
      () => servedBy(drained.name, restartedUpAt) >= 20,
    );
    const outcomes = await load.stop();
    const after = await t.haproxy.retries();
    return {
      outcomes,
      killed,
      killAt,
      inFlightAtKill,
      onKilledAtKill,
      killToDownMs,
      drained,
      termAt,
      drainedDownAt,
      drainedExitAt,
      drainedExit,
      restartedAt,
      restartedUpAt,
      gracefulRedispatches: after.redispatches - before.redispatches,
    };
  } finally {
    await load.stop();
  }
}
