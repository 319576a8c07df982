import { join } from "node:path";
// The kit's modules by path, not "@mash/kit": its index loads the whole server, a second of CPU
// the launcher does not need (server-bundles.ts says why every second counts).
import { buildConsolesIfChanged } from "../gateway/web/build/build.ts";
import { defaultDataDir, portFrom } from "../subgraphs/kit/src/config.ts";
import { ConfigError } from "../subgraphs/kit/src/errors.ts";
import { ROSTER } from "../subgraphs/kit/src/roster.ts";
import { devContextKey } from "../subgraphs/kit/src/trust/key-config.ts";
import {
  type ContextJwk,
  importSigningKey,
  publicContextJwk,
} from "../subgraphs/kit/src/trust/keys.ts";
import { cacheDir, root, type ServerBundles } from "./bundle-check.ts";
import { serverNodeFlags } from "./node-flags.ts";
import { preflight } from "./preflight.ts";
import { productionBundles } from "./production.ts";
import { restartPolicyFrom } from "./restart-policy.ts";
import { BUNDLES_HANDED_OVER, type Prepared, prepareServerBundles } from "./server-bundles.ts";
import { Supervisor } from "./supervisor.ts";

/**
 * `npm start`: every agency subgraph in its own process (as agencies that host their own would
 * run them) and the gateway composing them. First a preflight: ports, databases, the data
 * directory and the policies, every problem named before anything is seeded or started. Then all
 * eight start at once: the gateway loads its code while the subgraphs open (and seed) their
 * stores, and is handed their URLs when they listen. Prints the URLs when all are ready. A process
 * that dies after that is reported and started again on the same port (supervisor.ts); Ctrl-C
 * stops everything.
 */
const started = Date.now();
let supervisor: Supervisor | undefined;
let stopping = false;

/** How a process is started: from its bundle, or from source through tsx if bundling failed. */
function commandFor(prepared: Prepared, entry: string, source: string): string[] {
  // V8's young generation sized for a server's allocation rate (node-flags.ts).
  const flags = serverNodeFlags(process.env);
  if (prepared.kind === "sources") return [...flags, "--import", "tsx", source];
  const bundle = prepared.bundles.entries[entry];
  if (!bundle) throw new Error(`no bundle for ${entry}`);
  // Stack traces name the bundle's lines unless NODE_OPTIONS=--enable-source-maps, which maps
  // them to the TypeScript as tsx does; always on, it costs each process ~50 ms of CPU at start.
  return [...flags, bundle];
}

async function stopAll(exitCode: number): Promise<never> {
  stopping = true;
  const killed = (await supervisor?.stop()) ?? [];
  // A process that had to be killed did not stop cleanly: say which, and do not report success.
  if (killed.length)
    process.stderr.write(`Did not stop in time and were killed: ${killed.join(", ")}\n`);
  process.exit(killed.length ? 1 : exitCode);
}

process.on("SIGINT", () => {
  if (stopping) return;
  process.stdout.write("\nStopping MASH Gateway...\n");
  void stopAll(0);
});
process.on("SIGTERM", () => {
  if (!stopping) void stopAll(0);
});

/**
 * What the subgraphs need to trust the gateway. Unconfigured, the development pair is made here,
 * before any process starts, so no process races to make it. With only the gateway's key
 * configured, its public half is handed to the subgraphs so one setting runs the whole graph.
 */
async function subgraphTrust(): Promise<Record<string, string>> {
  const env = process.env;
  if (env.MASH_CONTEXT_VERIFY_KEYS) return {};
  if (env.MASH_CONTEXT_SIGNING_KEY) {
    await importSigningKey(env.MASH_CONTEXT_SIGNING_KEY);
    const jwk = JSON.parse(env.MASH_CONTEXT_SIGNING_KEY) as ContextJwk;
    return { MASH_CONTEXT_VERIFY_KEYS: JSON.stringify([publicContextJwk(jwk)]) };
  }
  await devContextKey(env.MASH_DATA_DIR || defaultDataDir);
  return {};
}

/** The bundles scripts/start.mjs found current, or today's (made again if a source changed). */
async function prepare(): Promise<Prepared> {
  if (process.env.NODE_ENV === "production") {
    const production = await productionBundles();
    if (production.kind === "sources")
      throw new Error(`No production build: run npm run build first (${production.problem})`);
    return production;
  }
  const handed = (globalThis as Record<symbol, unknown>)[BUNDLES_HANDED_OVER];
  if (handed) return { kind: "bundles", bundles: handed as ServerBundles, built: false, ms: 0 };
  const prepared = await prepareServerBundles();
  if (prepared.kind === "sources") {
    process.stderr.write(
      `Could not bundle the servers (${prepared.problem}); running them from source through tsx, which starts slower.\n`,
    );
  } else if (prepared.built) {
    process.stdout.write(`Bundled the servers in ${(prepared.ms / 1000).toFixed(1)} s.\n`);
  }
  return prepared;
}

async function agencyNames(prepared: Prepared): Promise<string[]> {
  if (prepared.kind === "bundles") return prepared.bundles.agencies;
  return ROSTER.map((agency) => agency.name);
}

/** The port a process listens on, from the URL it was ready at: where a restart must listen. */
function portOf(url: string): string {
  const parsed = new URL(url);
  return parsed.port || (parsed.protocol === "https:" ? "443" : "80");
}

try {
  const store = process.env.MASH_DATABASE_URL
    ? "PostgreSQL (MASH_DATABASE_URL)"
    : `SQLite in ${process.env.MASH_DATA_DIR || defaultDataDir}`;
  const prepared = await prepare();
  const agencies = await agencyNames(prepared);
  // Before anything is written or started: every problem at once, not one crash at a time.
  const problems = await preflight({ env: process.env, agencies });
  if (problems.length) {
    process.stderr.write(
      `MASH Gateway did not start: the preflight found ${problems.length} problem(s):\n${problems.map((p) => `  ${p}\n`).join("")}`,
    );
    process.exit(1);
  }
  // Parsed only now: the preflight has named every malformed one among them.
  const gatewayPort = portFrom(process.env, "PORT", 4000);
  const basePort = portFrom(process.env, "MASH_SUBGRAPH_BASE_PORT", 4001);
  const policy = restartPolicyFrom(process.env);
  const trust = await subgraphTrust();
  process.stdout.write(
    `Starting ${agencies.length} agency subgraphs and the gateway (stores: ${store})...\n`,
  );
  // Checked (and rebuilt when a source changed) while the servers start; only served later.
  // In production `npm run build` made them: nothing is compiled at start (esbuild is a
  // development dependency, and a moved checkout's console manifest would look stale).
  const consoles: ReturnType<typeof buildConsolesIfChanged> =
    process.env.NODE_ENV === "production"
      ? Promise.resolve({ rebuilt: false, ms: 0 })
      : buildConsolesIfChanged();
  consoles.catch(() => {});

  const supervising = new Supervisor({ cwd: root, env: process.env, policy });
  supervisor = supervising;
  // Kept for a gateway started again: it is handed the same URLs, which stay valid because a
  // restarted agency listens where it did.
  let subgraphsMessage: { type: "subgraphs"; urls: string } | undefined;
  const restartEnv = (url: string) => ({ PORT: portOf(url) });
  const gateway = supervising.start({
    name: "gateway",
    args: commandFor(prepared, "gateway", "gateway/src/main.ts"),
    env: {
      PORT: String(gatewayPort),
      MASH_SUBGRAPH_URLS_FROM: "launcher",
      MASH_COMPOSE_CACHE_DIR: join(cacheDir, "compose"),
    },
    restartEnv,
    onSpawn: (child, restart) => {
      // Ignored if it has gone already: its crash is reported, and it is restarted or not.
      if (restart && subgraphsMessage) child.send(subgraphsMessage, () => {});
    },
    whenDown: "nothing serves the graph until npm start is run again",
  });
  const subgraphsReady = Promise.all(
    agencies.map(async (name, i) => {
      const source = `subgraphs/${name}/src/main.ts`;
      const { ready } = supervising.start({
        name,
        args: commandFor(prepared, `agency-${name}`, source),
        env: { PORT: String(basePort === 0 ? 0 : basePort + i), ...trust },
        restartEnv,
        whenDown: `the gateway's /health names ${name} as unavailable, and answers lack what it holds`,
      });
      return { name, url: await ready };
    }),
  );
  // A gateway that stops while the subgraphs start is reported then, not after them.
  const subgraphs = await Promise.race([
    subgraphsReady,
    gateway.ready.then(() => new Promise<never>(() => {})),
  ]);
  subgraphsMessage = {
    type: "subgraphs",
    urls: subgraphs.map((s) => `${s.name}=${s.url}`).join(","),
  };
  gateway.child()?.send(subgraphsMessage, () => {});
  const [gatewayUrl, built] = await Promise.all([gateway.ready, consoles]);
  if (built.rebuilt) {
    process.stdout.write(`Built the consoles in ${(built.ms / 1000).toFixed(1)} s.\n`);
  }
  const base = gatewayUrl.replace(/\/graphql$/, "").replace("127.0.0.1", "localhost");
  const width = Math.max(...subgraphs.map((s) => s.name.length));
  process.stdout.write(
    [
      "",
      `MASH Gateway is ready in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
      ...(process.env.MASH_AUTH_ISSUER
        ? [`  Sign-in: ${process.env.MASH_AUTH_ISSUER}`]
        : [
            "  Development sign-in: pick a fixture user in the console, or `npm run --silent token -- sw.patel`.",
            "  Synthetic data only.",
          ]),
      `  Console and graph: ${base}/graphql`,
      `  Governance:        ${base}/governance (officers: ig.police, ig.police2, ig.health)`,
      `  Health:            ${base}/health`,
      "  Subgraphs:",
      ...subgraphs.map((s) => `    ${s.name.padEnd(width)}  ${s.url}`),
      "Press Ctrl-C to stop.",
      "",
    ].join("\n"),
  );
  process.send?.({ type: "ready", url: gatewayUrl });
} catch (error) {
  const message =
    error instanceof ConfigError ? `Configuration: ${error.message}` : (error as Error).message;
  process.stderr.write(`MASH Gateway did not start: ${message}\n`);
  await stopAll(1);
}
