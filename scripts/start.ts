import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
// The kit's modules by path, not "@mash/kit": its index loads the whole server, a second of CPU
// the launcher does not need (server-bundles.ts says why every second counts).
import { buildConsolesIfChanged } from "../gateway/src/console/build.ts";
import { defaultDataDir, portFrom } from "../subgraphs/kit/src/config.ts";
import { ConfigError } from "../subgraphs/kit/src/errors.ts";
import { devContextKey } from "../subgraphs/kit/src/trust/key-config.ts";
import {
  type ContextJwk,
  importSigningKey,
  publicContextJwk,
} from "../subgraphs/kit/src/trust/keys.ts";
import { cacheDir, root, type ServerBundles } from "./bundle-check.ts";
import { BUNDLES_HANDED_OVER, type Prepared, prepareServerBundles } from "./server-bundles.ts";

/**
 * `npm start`: every agency subgraph in its own process (as agencies that host their own would
 * run them) and the gateway composing them. All eight start at once: the gateway loads its code
 * while the subgraphs open (and seed) their stores, and is handed their URLs when they listen.
 * Prints the URLs when all are ready; Ctrl-C stops everything.
 */
const started = Date.now();
const children: ChildProcess[] = [];
let stopping = false;

interface Ready {
  type: "ready";
  name: string;
  url: string;
}

/** How a process is started: from its bundle, or from source through tsx if bundling failed. */
function commandFor(prepared: Prepared, entry: string, source: string): string[] {
  if (prepared.kind === "sources") return ["--import", "tsx", source];
  const bundle = prepared.bundles.entries[entry];
  if (!bundle) throw new Error(`no bundle for ${entry}`);
  // Stack traces name the bundle's lines unless NODE_OPTIONS=--enable-source-maps, which maps
  // them to the TypeScript as tsx does; always on, it costs each process ~50 ms of CPU at start.
  return [bundle];
}

function launch(
  name: string,
  args: string[],
  env: Record<string, string>,
): { child: ChildProcess; ready: Promise<string> } {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { LOG_LEVEL: "warn", ...process.env, ...env },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  children.push(child);
  const ready = new Promise<string>((resolve, reject) => {
    child.on("message", (message: Ready) => {
      if (message?.type === "ready") resolve(message.url);
    });
    child.on("exit", (code, signal) => {
      if (!stopping)
        reject(new Error(`${name} stopped before it was ready (exit ${code ?? signal}).`));
    });
  });
  // Awaited later (the gateway's after the subgraphs'); a failure meanwhile must not go unheard.
  ready.catch(() => {});
  return { child, ready };
}

async function stopAll(exitCode: number): Promise<never> {
  stopping = true;
  const killed: string[] = [];
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once("exit", () => resolve());
          child.kill("SIGTERM");
          // Longer than the servers' own 10 s drain, so a clean stop is never cut short.
          setTimeout(() => {
            killed.push(String(child.spawnargs.at(-1)));
            child.kill("SIGKILL");
          }, 15_000).unref();
        }),
    ),
  );
  // A process that had to be killed did not stop cleanly: say which, and do not report success.
  if (killed.length)
    process.stderr.write(`Did not stop in time and were killed: ${killed.join(", ")}\n`);
  process.exit(killed.length ? 1 : exitCode);
}

process.on("SIGINT", () => {
  process.stdout.write("\nStopping MASH Gateway...\n");
  void stopAll(0);
});
process.on("SIGTERM", () => void stopAll(0));

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
  const roster = pathToFileURL(join(root, "scripts/agencies.ts")).href;
  const { agencies } = (await import(roster)) as { agencies: { name: string }[] };
  return agencies.map((agency) => agency.name);
}

try {
  const gatewayPort = portFrom(process.env, "PORT", 4000);
  const basePort = portFrom(process.env, "MASH_SUBGRAPH_BASE_PORT", 4001);
  const store = process.env.MASH_DATABASE_URL
    ? "PostgreSQL (MASH_DATABASE_URL)"
    : `SQLite in ${process.env.MASH_DATA_DIR || defaultDataDir}`;
  const [trust, prepared] = await Promise.all([subgraphTrust(), prepare()]);
  const agencies = await agencyNames(prepared);
  process.stdout.write(
    `Starting ${agencies.length} agency subgraphs and the gateway (stores: ${store})...\n`,
  );
  // Checked (and rebuilt when a source changed) while the servers start; only served later.
  const consoles = buildConsolesIfChanged();
  consoles.catch(() => {});

  const gateway = launch("gateway", commandFor(prepared, "gateway", "gateway/src/main.ts"), {
    PORT: String(gatewayPort),
    MASH_SUBGRAPH_URLS_FROM: "launcher",
    MASH_COMPOSE_CACHE_DIR: join(cacheDir, "compose"),
  });
  const subgraphsReady = Promise.all(
    agencies.map(async (name, i) => {
      const source = `subgraphs/${name}/src/main.ts`;
      const { ready } = launch(name, commandFor(prepared, `agency-${name}`, source), {
        PORT: String(basePort === 0 ? 0 : basePort + i),
        ...trust,
      });
      return { name, url: await ready };
    }),
  );
  // A gateway that stops while the subgraphs start is reported then, not after them.
  const subgraphs = await Promise.race([
    subgraphsReady,
    gateway.ready.then(() => new Promise<never>(() => {})),
  ]);
  gateway.child.send({
    type: "subgraphs",
    urls: subgraphs.map((s) => `${s.name}=${s.url}`).join(","),
  });
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
