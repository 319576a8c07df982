import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { close, listen, readBody, sendJson } from "@mash/kit/http";
import { afterAll, describe, expect, it } from "vitest";
import { checkSubgraph, checkSubgraphs } from "./subgraph-health.ts";

const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => close(s)));
});

interface Seen {
  method: string;
  path: string;
  body: string;
  contentType: string | undefined;
}

/** A subgraph on a free port that records what it was asked and answers with `handle`. */
async function subgraph(
  handle: (req: IncomingMessage, res: ServerResponse, path: string) => void,
): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer(async (req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const body = req.method === "POST" ? await readBody(req, 10_000) : "";
    seen.push({
      method: req.method ?? "",
      path,
      body,
      contentType: req.headers["content-type"],
    });
    handle(req, res, path);
  });
  servers.push(server);
  const port = await listen(server, 0, "127.0.0.1");
  return { url: `http://127.0.0.1:${port}/graphql`, seen };
}

const typenameQuery = (res: ServerResponse) =>
  sendJson(res, 200, { data: { __typename: "Query" } });

describe("subgraph health", () => {
  it("takes our subgraphs' /health at its word, and never probes their GraphQL", async () => {
    const up = await subgraph((_, res, path) =>
      path === "/health"
        ? sendJson(res, 200, { status: "ok", agency: "police" })
        : sendJson(res, 401, { errors: [{ message: "unsigned" }] }),
    );
    const down = await subgraph((_, res, path) =>
      path === "/health"
        ? sendJson(res, 503, { status: "unavailable", agency: "health", reason: "store" })
        : typenameQuery(res),
    );
    expect(await checkSubgraph({ name: "police", url: up.url }, 2000)).toEqual({
      name: "police",
      ok: true,
    });
    expect(await checkSubgraph({ name: "health", url: down.url }, 2000)).toEqual({
      name: "health",
      ok: false,
      problem: "health check answered HTTP 503",
    });
    expect([...up.seen, ...down.seen].map((s) => s.path)).toEqual(["/health", "/health"]);
  });

  it("repeats the problem one of ours states (a damaged store), but never a path or a message", async () => {
    const said = (problem: unknown) =>
      subgraph((_, res) =>
        sendJson(res, 503, { status: "unavailable", agency: "police", problem }),
      );
    const damaged = await said("store damaged");
    const path = await said("/var/lib/mash/police.sqlite: database disk image is malformed");
    const long = await said(`store ${"very ".repeat(20)}damaged`);
    const odd = await said({ file: "police.sqlite" });
    expect(
      await checkSubgraphs(
        [damaged, path, long, odd].map(({ url }, i) => ({ name: `police${i}`, url })),
        2000,
      ),
    ).toEqual([
      { name: "police0", ok: false, problem: "store damaged" },
      { name: "police1", ok: false, problem: "health check answered HTTP 503" },
      { name: "police2", ok: false, problem: "health check answered HTTP 503" },
      { name: "police3", ok: false, problem: "health check answered HTTP 503" },
    ]);
  });

  it("probes a foreign subgraph whose /health is 404 with { __typename }", async () => {
    const foreign = await subgraph((_, res, path) =>
      path === "/graphql" ? typenameQuery(res) : res.writeHead(404).end("Not Found"),
    );
    expect(await checkSubgraph({ name: "Products", url: foreign.url }, 2000)).toEqual({
      name: "Products",
      ok: true,
    });
    const probe = foreign.seen[1];
    expect(probe).toMatchObject({ method: "POST", path: "/graphql" });
    expect(probe?.contentType).toMatch(/application\/json/);
    expect(JSON.parse(probe?.body ?? "")).toEqual({ query: "{ __typename }" });
  });

  it("probes a foreign subgraph whose /health is not ours, even a 200", async () => {
    // A GraphQL server on every path: GET /health is its own 400, not a health answer.
    const everywhere = await subgraph((req, res) =>
      req.method === "POST"
        ? typenameQuery(res)
        : sendJson(res, 400, { errors: [{ message: "GET query missing." }] }),
    );
    // A catch-all 200 page while the GraphQL endpoint is failing: not healthy.
    const catchAll = await subgraph((req, res) =>
      req.method === "POST"
        ? sendJson(res, 500, { errors: [{ message: "boom" }] })
        : sendJson(res, 200, { ok: true }),
    );
    const wrongAnswer = await subgraph((req, res) =>
      req.method === "POST"
        ? res.writeHead(200, { "content-type": "text/html" }).end("<html>hello</html>")
        : res.writeHead(404).end(),
    );
    expect(
      await checkSubgraphs(
        [
          { name: "everywhere", url: everywhere.url },
          { name: "catch_all", url: catchAll.url },
          { name: "wrong-answer", url: wrongAnswer.url },
        ],
        2000,
      ),
    ).toEqual([
      { name: "everywhere", ok: true },
      { name: "catch_all", ok: false, problem: "GraphQL probe answered HTTP 500" },
      {
        name: "wrong-answer",
        ok: false,
        problem: "GraphQL probe got no { __typename: Query } answer",
      },
    ]);
  });

  it("names a subgraph that is unreachable or too slow", async () => {
    const slow = await subgraph((_, res, path) => {
      // /health 404 at once, then a probe that never answers: one deadline covers both.
      if (path === "/health") res.writeHead(404).end();
    });
    const gone = await subgraph(() => {});
    const goneServer = servers.pop() as Server;
    await close(goneServer);
    expect(
      await checkSubgraphs(
        [
          { name: "slow", url: slow.url },
          { name: "gone", url: gone.url },
        ],
        300,
      ),
    ).toEqual([
      { name: "slow", ok: false, problem: "no answer within 300 ms" },
      { name: "gone", ok: false, problem: "unreachable" },
    ]);
  });
});
