import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import {
  ConfigError,
  type ContextJwk,
  defaultDataDir,
  devContextKey,
  importSigningKey,
  portFrom,
  publicContextJwk,
} from "@mash/kit";
import { agencies } from "./agencies.ts";

/**
 * `npm start`: every agency subgraph in its own process (as agencies that host their own would
 * run them), then the gateway composing them. Prints the URLs when all are ready; Ctrl-C stops
 * everything.
 */
const root = fileURLToPath(new URL("..", import.meta.url));
const started = Date.now();
const children: ChildProcess[] = [];
let stopping = false;

interface Ready {
  type: "ready";
  name: string;
  url: string;
}

function launch(
  name: string,
  entry: string,
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", entry], {
    cwd: root,
    env: { LOG_LEVEL: "warn", ...process.env, ...env },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.on("message", (message: Ready) => {
      if (message?.type === "ready") resolve({ child, url: message.url });
    });
    child.on("exit", (code, signal) => {
      if (!stopping)
        reject(new Error(`${name} stopped before it was ready (exit ${code ?? signal}).`));
    });
  });
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

try {
  const gatewayPort = portFrom(process.env, "PORT", 4000);
  const basePort = portFrom(process.env, "MASH_SUBGRAPH_BASE_PORT", 4001);
  const store = process.env.MASH_DATABASE_URL
    ? "PostgreSQL (MASH_DATABASE_URL)"
    : `SQLite in ${process.env.MASH_DATA_DIR || defaultDataDir}`;
  process.stdout.write(
    `Starting ${agencies.length} agency subgraphs and the gateway (stores: ${store})...\n`,
  );

  const trust = await subgraphTrust();
  const subgraphs = await Promise.all(
    agencies.map((agency, i) =>
      launch(agency.name, `subgraphs/${agency.name}/src/main.ts`, {
        PORT: String(basePort === 0 ? 0 : basePort + i),
        ...trust,
      }).then(({ url }) => ({ name: agency.name, url })),
    ),
  );
  const gateway = await launch("gateway", "gateway/src/main.ts", {
    PORT: String(gatewayPort),
    MASH_SUBGRAPH_URLS: subgraphs.map((s) => `${s.name}=${s.url}`).join(","),
  });
  const base = gateway.url.replace(/\/graphql$/, "").replace("127.0.0.1", "localhost");
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
  process.send?.({ type: "ready", url: gateway.url });
} catch (error) {
  const message =
    error instanceof ConfigError ? `Configuration: ${error.message}` : (error as Error).message;
  process.stderr.write(`MASH Gateway did not start: ${message}\n`);
  await stopAll(1);
}
