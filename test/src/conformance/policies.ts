import { parse } from "yaml";
import { initPolicies } from "../../../gateway/src/policy-init/init.ts";
import type { Agencies } from "./ownership-oracle.ts";

// The grant-all policy comes from the product's own onboarding command, `policies:init
// --allow-all`, as an operator would make it for a new graph: the suite then proves that what
// init writes loads and opens every field, on every federation feature, and the ownership oracle
// checks init and the gateway against the subgraphs' own SDL.

/** The role init's allow-all rules grant every field to; signed in as by `ours`. */
export const AUDITOR = "auditor";

export interface GrantAll {
  /** roles.yaml and one `<agency>.yaml` per agency, by file name. */
  files: Record<string, string>;
  /** What init guessed (the hub among them), for a failing test's message. */
  notices: string[];
}

/** The policy that should make our gateway answer exactly as a bare one, as init writes it. */
export function grantAllPolicies(supergraphSdl: string): GrantAll {
  const { files, notices } = initPolicies(supergraphSdl, {
    allowAll: AUDITOR,
    source: "the conformance suite",
  });
  return { files: Object.fromEntries(files.map((f) => [f.name, f.text])), notices };
}

interface RolesFile {
  hub?: unknown;
  agencies?: Record<string, { subgraphs?: unknown }>;
}

/**
 * The hub and each subgraph's agency, as the roles.yaml the gateway loads declares them: init
 * infers the hub (not "the first subgraph") and names the agencies, so the token's agency and the
 * oracle's "shared fields are the hub's" follow the file, not a guess of the harness.
 */
export function readAgencies(rolesYaml: string): Agencies {
  const roles = parse(rolesYaml) as RolesFile | null;
  if (typeof roles?.hub !== "string") throw new Error("roles.yaml names no hub");
  const bySubgraph = new Map<string, string>();
  for (const [agency, def] of Object.entries(roles.agencies ?? {})) {
    const subgraphs = Array.isArray(def?.subgraphs) ? def.subgraphs : [];
    for (const subgraph of subgraphs) bySubgraph.set(String(subgraph), agency);
  }
  return { hub: roles.hub, bySubgraph };
}
