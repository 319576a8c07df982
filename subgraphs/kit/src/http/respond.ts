import type { ServerResponse } from "node:http";

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
  });
  res.end(text);
}

/** A GraphQL-shaped error body, so clients parse every failure the same way. */
export function sendGraphQLError(
  res: ServerResponse,
  status: number,
  message: string,
  code: string,
) {
  sendJson(res, status, { errors: [{ message, extensions: { code } }] });
}
