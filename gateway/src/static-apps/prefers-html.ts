import type { IncomingMessage } from "node:http";

/**
 * The q-value a request header (Accept, Accept-Encoding) gives to any of `exact`, falling back to
 * each wildcard in turn: an exact type outranks its wildcard, whatever their order in the header.
 */
function quality(header: string, exact: readonly string[], wildcards: readonly string[]): number {
  const weights = new Map<string, number>();
  for (const range of header.toLowerCase().split(",")) {
    const [token = "", ...params] = range.split(";").map((part) => part.trim());
    const qParam = params.find((param) => param.startsWith("q="));
    const q = qParam ? Number(qParam.slice(2)) || 0 : 1;
    weights.set(token, Math.max(weights.get(token) ?? 0, q));
  }
  for (const group of [exact, ...wildcards.map((wildcard) => [wildcard])]) {
    const found = group.flatMap((token) => weights.get(token) ?? []);
    if (found.length > 0) return Math.max(...found);
  }
  return 0;
}

/** Browsers navigating to /graphql get the console; GraphQL clients and bare curl do not. */
export function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  const html = quality(accept, ["text/html"], ["text/*", "*/*"]);
  const json = quality(
    accept,
    ["application/json", "application/graphql-response+json"],
    ["application/*", "*/*"],
  );
  return html > 0 && html > json;
}

/** Whether the browser takes a gzipped body. */
export function acceptsGzip(req: IncomingMessage): boolean {
  const header = req.headers["accept-encoding"];
  return typeof header === "string" && quality(header, ["gzip"], ["*"]) > 0;
}
