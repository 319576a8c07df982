import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "@mash/kit";
import { sendJson } from "@mash/kit/http";
import type { PipelineRequest, Reply } from "../pipeline/pipeline.ts";
import { type ReplyCompression, sendCompressible } from "./compress-reply.ts";
import { handleCors, setSecurityHeaders } from "./http-policy.ts";

/** A pipeline for one API: the request in, the reply to send. */
export type Api = (request: PipelineRequest<never>) => Promise<Reply>;

export interface Routes {
  logger: Logger;
  corsOrigins: readonly string[];
  /** How the APIs' answers go out (compress-reply.ts). */
  compression: ReplyCompression;
  health: (res: ServerResponse) => Promise<void>;
  /**
   * /health/ready: whether this gateway should be sent requests (a load balancer's check). It
   * does not ask the subgraphs: an agency that is down is a section missing from answers, not a
   * reason to take every gateway out of the balancer.
   */
  ready: (res: ServerResponse) => void;
  /** /metrics on the gateway's port: the operator's credential, else refused (metrics-access.ts). */
  metrics: (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;
  /** Static consoles and development sign-in: true when they answered. */
  assets: ((req: IncomingMessage, res: ServerResponse, path: string) => boolean)[];
  /** The APIs by path: every request to one passes its pipeline and leaves its record. */
  apis: Record<string, Api>;
}

export function sendReply(
  req: IncomingMessage,
  res: ServerResponse,
  reply: Reply,
  compression: ReplyCompression,
) {
  // Encoded once: its length and its bytes from one pass over a text that can be 200 KB. The
  // graph's answers come as bytes already (result-json.ts).
  const body = typeof reply.body === "string" ? Buffer.from(reply.body) : reply.body;
  sendCompressible(
    req,
    res,
    reply.status,
    { ...reply.headers, "cache-control": "no-store" },
    body,
    compression,
  );
}

/** Routes a request by path; one request id each, returned as X-Request-Id. */
export function createRouter(routes: Routes) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    // One id per client request: the client gets it back, and every subgraph fetch logs it.
    const requestId = randomUUID();
    res.setHeader("x-request-id", requestId);
    setSecurityHeaders(res);
    if (handleCors(req, res, routes.corsOrigins)) return;
    const failed = (error: Error) => {
      routes.logger.error("request failed", { path, rid: requestId, error: error.message });
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: "Internal error" }] });
      else res.end();
    };
    if (path === "/health" && (req.method === "GET" || req.method === "HEAD")) {
      routes.health(res).catch(failed);
      return;
    }
    if (path === "/health/ready" && (req.method === "GET" || req.method === "HEAD")) {
      routes.ready(res);
      return;
    }
    if (path === "/metrics") {
      Promise.resolve(routes.metrics(req, res)).catch(failed);
      return;
    }
    if (routes.assets.some((serve) => serve(req, res, path))) return;
    const api = routes.apis[path];
    if (api) {
      const address = req.socket.remoteAddress ?? "unknown";
      api({ req, requestId, address })
        .then((reply) => sendReply(req, res, reply, routes.compression))
        .catch(failed);
      return;
    }
    if (path === "/") {
      res.writeHead(302, { location: "/graphql" }).end();
      return;
    }
    sendJson(res, 404, {
      error: `Nothing at ${path}. The graph is at /graphql; health at /health.`,
    });
  };
}
