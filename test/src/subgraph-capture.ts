import { createServer, type Server } from "node:http";
import { close, listen } from "@mash/kit/http";

/** One request the gateway sent a subgraph, exactly as it went: what an eavesdropper would keep. */
export interface CapturedRequest {
  subgraph: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * A pass-through proxy in front of one subgraph that keeps every request byte for byte: the
 * attacker on the wire of issue 13 item 8, who then replays what they captured.
 */
export async function captureProxy(
  subgraph: { name: string; url: string },
  captured: CapturedRequest[],
): Promise<{ url: string; server: Server; stop(): Promise<void> }> {
  const target = new URL(subgraph.url);
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (typeof v === "string" && k !== "host" && k !== "content-length" && k !== "connection")
        headers[k] = v;
    const path = req.url ?? "/";
    captured.push({ subgraph: subgraph.name, method: req.method ?? "GET", path, headers, body });
    const upstream = await fetch(new URL(path, target), {
      method: req.method,
      headers,
      body: req.method === "POST" ? body : undefined,
    });
    res.writeHead(upstream.status, {
      "content-type": upstream.headers.get("content-type") ?? "application/json",
    });
    res.end(Buffer.from(await upstream.arrayBuffer()));
  });
  const port = await listen(server, 0, "127.0.0.1");
  return { url: `http://127.0.0.1:${port}/graphql`, server, stop: () => close(server) };
}

/** Sends a captured request again, unchanged or with another body, straight to the subgraph. */
export async function replay(
  url: string,
  request: CapturedRequest,
  body: Buffer | string = request.body,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(new URL(request.path, url), {
    method: request.method,
    headers: request.headers,
    body: request.method === "POST" ? body : undefined,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
