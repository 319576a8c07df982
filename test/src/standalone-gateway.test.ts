import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import { buildSubgraphSchema } from "@apollo/subgraph";
import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper/resolverMap.js";
import { composeSupergraph } from "@mash/gateway";
import { close, graphqlHandler, listen, sendJson } from "@mash/kit/http";
import { parse } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));

/**
 * A supergraph that is not ours, served by the gateway alone: two federation subgraphs written
 * the way any team writes them (no /health of ours, no X-MASH-Context check), composed elsewhere,
 * with subgraph names in their own spelling, and rules written for them by hand.
 */

const link = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])`;
const productsSdl = `${link}
type Query { products: [Product!]! product(id: ID!): Product }
type Product @key(fields: "id") { id: ID! name: String }`;
const stockSdl = `${link}
type Product @key(fields: "id") { id: ID! inStock: Int }`;

const catalogue = [
  { id: "p1", name: "Kettle" },
  { id: "p2", name: "Toaster" },
];
const stock: Record<string, number> = { p1: 7, p2: 0 };

interface Foreign {
  url: string;
  server: Server;
  apollo: ApolloServer;
}

/** A plain Apollo subgraph on a free port; `everyPath` serves GraphQL on every path, /health too. */
async function foreignSubgraph(
  typeDefs: string,
  resolvers: GraphQLResolverMap<unknown>,
  everyPath: boolean,
): Promise<Foreign> {
  const apollo = new ApolloServer({
    schema: buildSubgraphSchema({ typeDefs: parse(typeDefs), resolvers }),
    stopOnTerminationSignals: false,
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  await apollo.start();
  const handle = graphqlHandler({ server: apollo, context: async () => ({}) });
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (everyPath || path === "/graphql") {
      handle(req, res).catch(() => sendJson(res, 500, { errors: [{ message: "failed" }] }));
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" }).end("Not Found");
  });
  const port = await listen(server, 0, "127.0.0.1");
  return { url: `http://127.0.0.1:${port}/graphql`, server, apollo };
}

/** Grant-all rules for one role, by hand: each team's file covers the fields its subgraph serves. */
function writePolicies(dir: string) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "roles.yaml"),
    `hub: catalogue
scope: { type: Product, key: id }
agencies:
  catalogue: { title: the catalogue team, subgraphs: [Products] }
  stock: { title: the stock team, subgraphs: [stock_2] }
roles:
  reader: { agency: catalogue, description: Sees everything (test policy) }
`,
  );
  writeFileSync(
    join(dir, "catalogue.yaml"),
    `agency: catalogue
rules:
  - id: catalogue-everything
    description: The reader sees everything the catalogue serves.
    roles: [reader]
    fields: { Query: "*", Product: "*" }
    legalBasis: Test fixture
`,
  );
  writeFileSync(
    join(dir, "stock.yaml"),
    `agency: stock
rules:
  - id: stock-everything
    description: The reader sees everything the stock team serves.
    roles: [reader]
    fields: { Product: "*" }
    legalBasis: Test fixture
`,
  );
}

/** Only this test's settings: a developer's MASH_* environment must not redirect anything. */
function cleanEnv(settings: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("MASH_")) env[k] = v;
  // As a user runs it: vitest sets NODE_ENV=test, which changes Apollo's behaviour.
  return { ...env, NODE_ENV: "", LOG_LEVEL: "warn", HOST: "127.0.0.1", ...settings };
}

/** Runs an npm command in its own process group, so the whole group (npm, tsx, node) can go. */
function npm(
  args: string[],
  env: NodeJS.ProcessEnv,
): { child: ChildProcess; output: () => string } {
  const child = spawn("npm", args, { cwd: root, env, detached: true, stdio: "pipe" });
  let output = "";
  child.stdout?.on("data", (d) => {
    output += d;
  });
  child.stderr?.on("data", (d) => {
    output += d;
  });
  return { child, output: () => output };
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

async function stopGroup(child: ChildProcess | undefined) {
  if (!child?.pid || child.exitCode !== null) return;
  const done = exited(child);
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {}
  const timer = setTimeout(() => {
    try {
      process.kill(-(child.pid as number), "SIGKILL");
    } catch {}
  }, 15_000);
  await done;
  clearTimeout(timer);
}

describe("the gateway alone, over a foreign supergraph", () => {
  const dir = mkdtempSync(join(tmpdir(), "mash-standalone-"));
  const dataDir = join(dir, "data");
  const policiesDir = join(dir, "policies");
  const supergraphFile = join(dir, "supergraph.graphql");
  let products: Foreign;
  let stockGraph: Foreign;
  let gateway: ChildProcess | undefined;
  let gatewayUrl = "";
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    products = await foreignSubgraph(
      productsSdl,
      {
        Query: {
          products: () => catalogue,
          product: (_: unknown, { id }: { id: string }) => catalogue.find((p) => p.id === id),
        },
        Product: {
          __resolveReference: (ref: { id: string }) => catalogue.find((p) => p.id === ref.id),
        },
      },
      false,
    );
    stockGraph = await foreignSubgraph(
      stockSdl,
      {
        Product: {
          __resolveReference: (ref: { id: string }) => ({ id: ref.id, inStock: stock[ref.id] }),
        },
      },
      true,
    );
    // Composed as another team's pipeline would: "Products" records its URL; "stock_2" none, so
    // MASH_SUBGRAPH_URLS must give it.
    writeFileSync(
      supergraphFile,
      composeSupergraph([
        { name: "Products", url: products.url, sdl: productsSdl },
        { name: "stock_2", url: "", sdl: stockSdl },
      ]),
    );
    writePolicies(policiesDir);
    env = cleanEnv({
      PORT: "0",
      MASH_DATA_DIR: dataDir,
      MASH_SUPERGRAPH_FILE: supergraphFile,
      MASH_SUBGRAPH_URLS: `stock_2=${stockGraph.url}`,
      MASH_POLICIES_DIR: policiesDir,
    });
    const started = npm(["run", "--silent", "start", "-w", "gateway"], env);
    gateway = started.child;
    const child = started.child;
    gatewayUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the gateway was not ready in 90 s:\n${started.output()}`)),
        90_000,
      );
      child.stdout?.on("data", () => {
        const url = /MASH gateway: (http:\/\/127\.0\.0\.1:\d+\/graphql)/.exec(
          started.output(),
        )?.[1];
        if (url) {
          clearTimeout(timer);
          resolve(url);
        }
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`the gateway exited (${code}) before it was ready:\n${started.output()}`));
      });
    });
  });

  afterAll(async () => {
    await stopGroup(gateway);
    for (const g of [products, stockGraph]) {
      if (!g) continue;
      await close(g.server);
      await g.apollo.stop();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  /** `npm run --silent token -- --sub ... --roles ... --agency ...`, with the gateway's settings. */
  async function token(args: string[]): Promise<string> {
    const run = npm(["run", "--silent", "token", "--", ...args], env);
    const code = await exited(run.child);
    if (code !== 0) throw new Error(`token exited ${code}: ${run.output()}`);
    return run.output().trim();
  }

  const query = async (text: string, bearer?: string) => {
    const response = await fetch(gatewayUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      },
      body: JSON.stringify({ query: text }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it("answers a query across both subgraphs for a token minted with flags", async () => {
    const bearer = await token([
      "--sub",
      "ext-reader",
      "--roles",
      "reader",
      "--agency",
      "catalogue",
    ]);
    expect(bearer).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(await query("{ products { id name inStock } }", bearer)).toEqual({
      status: 200,
      body: {
        data: {
          products: [
            { id: "p1", name: "Kettle", inStock: 7 },
            { id: "p2", name: "Toaster", inStock: 0 },
          ],
        },
      },
    });
    expect((await query("{ products { id } }")).status).toBe(401);
  });

  it("withholds what the rules do not grant: a role with no rule sees nothing", async () => {
    const bearer = await token(["--sub", "someone", "--roles", "visitor", "--agency", "stock"]);
    const { body } = await query('{ product(id: "p1") { name } }', bearer);
    expect(body.data).toEqual({ product: null });
    expect(JSON.stringify(body.errors)).toMatch(/default-deny/);
  });

  it("checks foreign subgraphs' health by a { __typename } probe, and names one that is down", async () => {
    const healthUrl = gatewayUrl.replace("/graphql", "/health");
    const healthy = await fetch(healthUrl);
    expect(healthy.status).toBe(200);
    expect(await healthy.json()).toMatchObject({
      status: "ok",
      subgraphs: { Products: "ok", stock_2: "ok" },
    });

    await close(stockGraph.server);
    const down = await fetch(healthUrl);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({
      status: "unavailable",
      subgraphs: { Products: "ok", stock_2: "unreachable" },
      unavailable: ["stock_2"],
    });
  });
});

describe("the gateway alone, misconfigured", () => {
  const dir = mkdtempSync(join(tmpdir(), "mash-standalone-bad-"));
  const supergraphFile = join(dir, "supergraph.graphql");
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const c of children) await stopGroup(c);
    rmSync(dir, { recursive: true, force: true });
  });

  beforeAll(() => {
    writeFileSync(
      supergraphFile,
      composeSupergraph([
        { name: "Products", url: "http://127.0.0.1:9/graphql", sdl: productsSdl },
        { name: "stock_2", url: "", sdl: stockSdl },
      ]),
    );
    writePolicies(join(dir, "policies"));
  });

  const start = async (settings: Record<string, string>) => {
    const run = npm(
      ["run", "--silent", "start", "-w", "gateway"],
      cleanEnv({ PORT: "0", MASH_DATA_DIR: join(dir, "data"), ...settings }),
    );
    children.push(run.child);
    return { code: await exited(run.child), output: run.output() };
  };

  it("names MASH_SUBGRAPH_URLS and the subgraph that has no URL", async () => {
    const { code, output } = await start({
      MASH_SUPERGRAPH_FILE: supergraphFile,
      MASH_POLICIES_DIR: join(dir, "policies"),
    });
    expect(code).toBe(1);
    expect(output).toMatch(/^MASH_SUBGRAPH_URLS: has no URL for subgraph "stock_2"/m);
  });

  it("names MASH_POLICIES_DIR when the hub's own rules are read for a foreign graph", async () => {
    const { code, output } = await start({
      MASH_SUPERGRAPH_FILE: supergraphFile,
      MASH_SUBGRAPH_URLS: "stock_2=http://127.0.0.1:9/graphql",
    });
    expect(code).toBe(1);
    expect(output).toMatch(/^MASH_POLICIES_DIR: the sharing rules in .* do not load/m);
    expect(output).toMatch(/MASH_POLICIES_DIR is not set/);
  });
});
