import type { IncomingMessage, Server, ServerResponse } from "node:http";

/** Starts listening and answers the port actually bound (port 0 picks a free one). */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : port);
    });
  });
}

/** How long a stop waits for in-flight requests before cutting them off. */
export const DEFAULT_GRACE_MS = 10_000;

/**
 * Stops accepting, lets in-flight requests finish, and closes keep-alive sockets as they go idle.
 * Requests still running after `graceMs` are cut off, so a stuck client cannot hold a shutdown
 * past the orchestrator's kill timeout.
 */
export function close(server: Server, graceMs: number = DEFAULT_GRACE_MS): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve, reject) => {
    // A keep-alive socket whose request was in flight at close() would otherwise idle until its
    // keep-alive timeout (5 s) before close() returns; a request arriving on one is told to close.
    const noKeepAlive = (_req: IncomingMessage, res: ServerResponse) => {
      res.shouldKeepAlive = false;
    };
    server.on("request", noKeepAlive);
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
    sweep.unref();
    deadline.unref();
    server.close((error) => {
      clearInterval(sweep);
      clearTimeout(deadline);
      server.off("request", noKeepAlive);
      if (error) reject(error);
      else resolve();
    });
    server.closeIdleConnections();
  });
}
