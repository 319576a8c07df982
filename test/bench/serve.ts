import { readdirSync, readFileSync } from "node:fs";
import { startGateway } from "@mash/gateway";
import { createLogger } from "@mash/kit";
import { WRITER_THREAD_NAME } from "../../gateway/src/audit/sqlite-append-thread.ts";
import { replyCompressionFrom } from "../../gateway/src/server/compress-reply.ts";
import { startSystem, testGatewayConfig } from "../src/system.ts";

/**
 * The system under benchmark, in its own process so the load generator does not share its event
 * loop: the seven subgraphs, the gateway with enforcement, and a second gateway with enforcement
 * off over the same subgraphs. Prints one JSON line with the URLs and headers, then waits.
 */
// MASH_HTTP_COMPRESSION=off runs both gateways without gzip, as before it (compress-reply.ts).
const compression = replyCompressionFrom(process.env);
const system = await startSystem({
  subjects: Number(process.env.BENCH_SUBJECTS ?? 2000),
  gateway: { compression },
});
const off = await startGateway(
  testGatewayConfig(
    system.subgraphs.map((s) => ({ name: s.name, url: s.url })),
    { compression },
  ),
  {
    logger: createLogger("bench", "silent"),
    identity: system.identity,
    authorization: "off",
    watchPolicies: false,
  },
);
const headers = await system.headersFor({ as: "mgr.okafor", enquiry: "ENQ-2001" });
process.stdout.write(`${JSON.stringify({ on: system.gatewayUrl, off: off.url, headers })}\n`);
// The bench asks for this process's CPU time (every thread's) around each load: CPU per request
// is steadier than req/s on a machine others share.
// The main thread's own share, where Linux tells it (clock ticks of 10 ms), is the event loop's:
// what the gateways and subgraphs do apart from threads of their own. The access log's writing
// thread is told by its name (sqlite-append-thread.ts); the rest are V8's and libuv's helpers
// (garbage collection, and WebCrypto's signature checks: the client's token, each fetch's
// signed context).
const threadUs = (tid: string) => {
  const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
};
const threadsUs = (): { main?: number; accessLog?: number } => {
  let main: number | undefined;
  let accessLog: number | undefined;
  try {
    main = threadUs(String(process.pid));
    // No thread of that name (none could be had, or it could not be named): not told, not 0.
    for (const tid of readdirSync("/proc/self/task")) {
      try {
        if (readFileSync(`/proc/self/task/${tid}/comm`, "utf8").trim() === WRITER_THREAD_NAME)
          accessLog = (accessLog ?? 0) + threadUs(tid);
      } catch {
        // A thread that ended between the listing and the read: it has nothing more to count.
      }
    }
  } catch {
    // No /proc: not told.
  }
  return { main, accessLog };
};
process.on("message", (message) => {
  if (message !== "cpu") return;
  const { user, system } = process.cpuUsage();
  process.send?.({ all: user + system, ...threadsUs() });
});
process.once("SIGTERM", async () => {
  await off.stop();
  await system.stop();
  process.exit(0);
});
