import { createHash, randomUUID } from "node:crypto";
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { composeSupergraph, type SubgraphSdl } from "./compose.ts";

/**
 * Composition is a pure function of the subgraphs (names, order, SDL, URLs) and of Apollo's
 * composition code, and takes about half a second of the gateway's start. `npm start` composes
 * the same seven schemas each time, so it keeps what they composed to (MASH_COMPOSE_CACHE_DIR,
 * set by the launcher) and composes again only when a schema or Apollo's version changes.
 */
const require = createRequire(import.meta.url);
const versions = ["@apollo/composition", "@apollo/federation-internals", "graphql"].map(
  (name) => `${name}@${(require(`${name}/package.json`) as { version: string }).version}`,
);

/** A few schema versions at most: each entry is a supergraph (~30 kB); older ones go. */
export const MAX_CACHED_COMPOSITIONS = 16;

interface CachedComposition {
  urls: string[];
  supergraph: string;
}

/** The key leaves the URLs out: on other ports the cached supergraph still serves (see below). */
export function compositionKey(subgraphs: SubgraphSdl[]): string {
  const named = subgraphs.map(({ name, sdl }) => ({ name, sdl }));
  return createHash("sha256")
    .update(JSON.stringify({ versions, subgraphs: named }))
    .digest("hex");
}

// A name or URL that GraphQL and JSON print alike, as `"..."`: printable ASCII, no quote, no
// backslash, no space. Anything else is composed afresh rather than patched.
const PLAIN = /^[\x21\x23-\x5b\x5d-\x7e]*$/;
const graphDirective = (name: string, url: string) =>
  `@join__graph(name: "${name}", url: "${url}")`;

/**
 * The cached supergraph with each subgraph's URL replaced by today's, or undefined when that
 * cannot be done exactly: URLs appear in a composed supergraph only in each graph's
 * `@join__graph(name:, url:)`, which must occur once per subgraph.
 */
export function withUrls(cached: CachedComposition, subgraphs: SubgraphSdl[]): string | undefined {
  if (cached.urls.length !== subgraphs.length) return undefined;
  let supergraph = cached.supergraph;
  for (const [i, { name, url }] of subgraphs.entries()) {
    const before = cached.urls[i] as string;
    if (before === url) continue;
    if (![name, url, before].every((text) => PLAIN.test(text))) return undefined;
    const from = graphDirective(name, before);
    const at = supergraph.indexOf(from);
    if (at < 0 || supergraph.indexOf(from, at + 1) >= 0) return undefined;
    supergraph =
      supergraph.slice(0, at) + graphDirective(name, url) + supergraph.slice(at + from.length);
  }
  return supergraph;
}

function readCached(file: string): CachedComposition | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<CachedComposition>;
    if (!Array.isArray(parsed.urls) || typeof parsed.supergraph !== "string") return undefined;
    return { urls: parsed.urls.map(String), supergraph: parsed.supergraph };
  } catch {
    return undefined;
  }
}

/** Written whole (a gateway starting beside this one never reads half), then the oldest go. */
function store(dir: string, file: string, entry: CachedComposition): void {
  try {
    mkdirSync(dir, { recursive: true });
    const temp = `${file}.${randomUUID()}.tmp`;
    writeFileSync(temp, JSON.stringify(entry));
    renameSync(temp, file);
    const entries = readdirSync(dir)
      .filter((name) => name.endsWith(".json"))
      .map((name) => ({ path: join(dir, name), mtimeMs: statSync(join(dir, name)).mtimeMs }))
      .sort((a, b) => b.mtimeMs - a.mtimeMs);
    for (const old of entries.slice(MAX_CACHED_COMPOSITIONS)) unlinkSync(old.path);
  } catch {
    // A cache that cannot be written costs the next start half a second, nothing more.
  }
}

/** composeSupergraph, answered from `dir` when these subgraphs were composed before. */
export function composeSupergraphCached(subgraphs: SubgraphSdl[], dir: string): string {
  const file = join(dir, `${compositionKey(subgraphs)}.json`);
  const cached = readCached(file);
  const reused = cached && withUrls(cached, subgraphs);
  if (reused !== undefined) {
    // Used entries stay: the oldest by use are the ones dropped.
    try {
      const now = new Date();
      utimesSync(file, now, now);
    } catch {}
    return reused;
  }
  // A composition error throws here, before anything is cached.
  const supergraph = composeSupergraph(subgraphs);
  store(dir, file, { urls: subgraphs.map((s) => s.url), supergraph });
  return supergraph;
}

let cacheDir: string | undefined;

/**
 * Where the gateway keeps compositions: decided by its entry point (gateway/src/main.ts reads
 * MASH_COMPOSE_CACHE_DIR); unset, every start composes, as tests and standalone gateways do.
 */
export function cacheCompositionsIn(dir: string | undefined): void {
  cacheDir = dir || undefined;
}

export function composeAtStart(subgraphs: SubgraphSdl[]): string {
  return cacheDir ? composeSupergraphCached(subgraphs, cacheDir) : composeSupergraph(subgraphs);
}
