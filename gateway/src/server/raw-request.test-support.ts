import { type IncomingHttpHeaders, request } from "node:http";

export interface RawReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * One request by node:http, for tests that must see what was sent: fetch would decompress a
 * gzipped body out of sight and normalise `..` out of a path before sending it.
 */
export function rawRequest(options: {
  port: number | string;
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}): Promise<RawReply> {
  return new Promise<RawReply>((resolve, reject) => {
    const { port, path, method = "GET", headers = {}, body } = options;
    const req = request({ host: "127.0.0.1", port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on("error", reject);
    req.end(body);
  });
}
