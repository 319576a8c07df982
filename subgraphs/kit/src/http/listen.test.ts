import { Agent, createServer, get } from "node:http";
import { describe, expect, it } from "vitest";
import { close, listen } from "./listen.ts";

/** A GET over a keep-alive agent: the socket stays open after the response unless told. */
const getText = (port: number) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    const agent = new Agent({ keepAlive: true });
    get({ host: "127.0.0.1", port, agent }, (res) => {
      let body = "";
      res.on("data", (chunk) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    }).on("error", reject);
  });

const slowServer = (ms: number) =>
  createServer((_req, res) => {
    setTimeout(() => res.end("done"), ms);
  });

describe("close", () => {
  it("lets a keep-alive request in flight finish, then returns without waiting out keep-alive", async () => {
    const server = slowServer(300);
    const port = await listen(server, 0, "127.0.0.1");
    const response = getText(port);
    await new Promise((r) => setTimeout(r, 50));
    const started = performance.now();
    await close(server);
    expect(await response).toEqual({ status: 200, body: "done" });
    // The server's keep-alive timeout is 5 s; the idle socket is closed long before that.
    expect(performance.now() - started).toBeLessThan(2000);
    await expect(getText(port)).rejects.toThrow(/ECONNREFUSED/);
  });

  it("cuts off requests still running after the grace period", async () => {
    const server = slowServer(10_000);
    const port = await listen(server, 0, "127.0.0.1");
    const response = getText(port);
    await new Promise((r) => setTimeout(r, 50));
    const started = performance.now();
    await close(server, 200);
    expect(performance.now() - started).toBeLessThan(2000);
    await expect(response).rejects.toThrow();
  });

  it("is a no-op for a server already closed", async () => {
    const server = slowServer(0);
    await listen(server, 0, "127.0.0.1");
    await close(server);
    await expect(close(server)).resolves.toBeUndefined();
  });
});
