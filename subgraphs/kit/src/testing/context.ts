import { randomUUID } from "node:crypto";
import { type CallerContext, signContext } from "../trust/context.ts";
import {
  type ContextJwk,
  type ContextSigningKey,
  importSigningKey,
  newContextKeyPair,
} from "../trust/keys.ts";

export interface TestContextKeys {
  /** What the test's gateway (or the test itself) signs with. */
  signingKey: ContextSigningKey;
  /** What the test's subgraphs trust: pass as startSubgraph's `contextVerifyKeys`. */
  verifyKeys: ContextJwk[];
}

let keys: Promise<TestContextKeys> | undefined;

/**
 * One key pair per test process, never written anywhere: a suite's subgraphs trust it and its
 * requests are signed with it, so suites running side by side cannot accept each other's tokens.
 */
export function testContextKeys(): Promise<TestContextKeys> {
  keys ??= (async () => {
    const { privateJwk, publicJwk } = await newContextKeyPair();
    return { signingKey: await importSigningKey(privateJwk, "test"), verifyKeys: [publicJwk] };
  })();
  return keys;
}

/**
 * A context for one request to `agency`, as the gateway would sign it: bound to `body`, the exact
 * bytes the request sends ("" for a GET), and good once. A test user with no roles by default.
 */
export async function signTestContext(
  agency: string,
  caller: Partial<CallerContext> = {},
  body = "",
): Promise<string> {
  const { signingKey } = await testContextKeys();
  return signContext(
    signingKey,
    agency,
    { sub: "test-user", roles: [], rid: randomUUID(), ...caller },
    body,
  );
}

/** Headers for one direct POST of `body` to a test subgraph. */
export async function testSubgraphHeaders(
  agency: string,
  body: string,
): Promise<Record<string, string>> {
  return {
    "content-type": "application/json",
    "x-mash-context": await signTestContext(agency, {}, body),
  };
}
