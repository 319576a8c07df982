import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { root } from "./bundle-check.ts";

/** One bundle of the production build: its source, and where it and its shared code go. */
export interface Entry {
  source: string;
  /** The bundle is `<outRoot>/<outName>.mjs`. */
  outName: string;
  /** Where the code it shares with the other entries of its group goes (as deep as they are). */
  chunks: string;
}

export const SERVER_CHUNKS = "dist/chunks";
export const AGENCY_CHUNKS = "dist/chunks/agencies";

/** Each bundle's source, by entry name. */
export function entriesOf(agencies: string[]): Record<string, Entry> {
  const server = (source: string, outName: string) => ({ source, outName, chunks: SERVER_CHUNKS });
  const entries: Record<string, Entry> = {
    launcher: server("scripts/start.ts", "scripts/dist/start"),
    gateway: server("gateway/src/main.ts", "gateway/dist/main"),
    // What an operator runs against a production gateway's stores; `token` is development only.
    "audit-verify": server("gateway/src/audit/cli.ts", "gateway/dist/audit-verify"),
    "audit-purge": server("gateway/src/audit/purge-cli.ts", "gateway/dist/audit-purge"),
    "audit-reconcile": server("gateway/src/audit/reconcile-cli.ts", "gateway/dist/audit-reconcile"),
    "policies-check": server("gateway/src/authz/cli/check.ts", "gateway/dist/policies-check"),
  };
  for (const name of agencies) {
    entries[`agency-${name}`] = {
      source: `subgraphs/${name}/src/main.ts`,
      outName: `subgraphs/${name}/dist/main`,
      chunks: AGENCY_CHUNKS,
    };
  }
  return entries;
}

/** The oldest Node.js the repository supports (package.json `engines`), as esbuild's target. */
export async function nodeTarget(): Promise<string> {
  const pkg = JSON.parse(await readFile(resolve(root, "package.json"), "utf8")) as {
    engines?: { node?: string };
  };
  const least = /^>=\s*(\d+(?:\.\d+){0,2})$/.exec(pkg.engines?.node ?? "")?.[1];
  return `node${least ?? process.versions.node}`;
}
