import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { loadIdentityConfig } from "./config.ts";
import { loadDevSigningKey } from "./dev-keys.ts";
import { signDevToken } from "./dev-tokens.ts";
import { devUserOf, parseTokenArgs, TokenArgsError } from "./token-args.ts";
import { createVerifier } from "./verify.ts";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), "mash-token-args-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("token arguments", () => {
  it("keeps the fixture-user form", () => {
    expect(parseTokenArgs(["sw.patel"])).toEqual({ kind: "fixture", username: "sw.patel" });
    expect(parseTokenArgs([])).toEqual({ kind: "fixture", username: undefined });
  });

  it("reads an identity from flags, in either spelling", () => {
    expect(
      parseTokenArgs(["--sub", "u-42", "--roles", "reader, auditor", "--agency=Shop_1"]),
    ).toEqual({
      kind: "identity",
      sub: "u-42",
      name: undefined,
      roles: ["reader", "auditor"],
      agency: "Shop_1",
    });
    expect(
      parseTokenArgs(["--name", "Ada Lovelace", "--sub=ada", "--roles=reader", "--agency", "a"]),
    ).toMatchObject({ name: "Ada Lovelace", sub: "ada" });
  });

  it.each([
    [["--sub", "x", "--roles", "reader"], "--agency", /is required/],
    [["--roles", "reader", "--agency", "a"], "--sub", /is required/],
    [["--sub", "x", "--agency", "a"], "--roles", /is required/],
    [["--sub", "x", "--roles", "", "--agency", "a"], "--roles", /needs a value/],
    [["--sub", "x", "--roles", "reader,", "--agency", "a"], "--roles", /empty role/],
    [["--sub", "x", "--roles", "Reader", "--agency", "a"], "--roles", /"Reader" is not a role/],
    [["--sub", "x", "--roles", "a b", "--agency", "a"], "--roles", /"a b" is not a role/],
    [["--sub", "x", "--roles", "r", "--agency", "a b"], "--agency", /not an agency/],
    [["--sub", "x y", "--roles", "r", "--agency", "a"], "--sub", /must be/],
    [["--sub", "x", "--sub", "y", "--roles", "r", "--agency", "a"], "--sub", /twice/],
    [["--sub", "--roles", "r", "--agency", "a"], "--sub", /needs a value/],
    [["--subject", "x"], "--subject", /is not a flag/],
    [["sw.patel", "--sub", "x", "--roles", "r", "--agency", "a"], "<username>", /cannot be/],
    [["sw.patel", "pc.jones"], "<username>", /one user only/],
    [["--sub", "x", "--roles", "r", "--agency", "a", "--name", "a\u0007b"], "--name", /control/],
  ])("refuses %j, naming %s", (argv, flag, problem) => {
    let error: unknown;
    try {
      parseTokenArgs(argv);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TokenArgsError);
    expect((error as TokenArgsError).flag).toBe(flag);
    expect((error as Error).message).toMatch(new RegExp(`^${flag.replace(/[<>]/g, "\\$&")}: `));
    expect((error as Error).message).toMatch(problem);
  });

  it("mints a token for an arbitrary identity that the gateway's verifier accepts", async () => {
    const config = loadIdentityConfig({ MASH_DATA_DIR: dataDir });
    const request = parseTokenArgs(["--sub", "ext-7", "--roles", "reader", "--agency", "Shop"]);
    if (request.kind !== "identity") throw new Error("expected an identity");
    const token = await signDevToken(await loadDevSigningKey(dataDir), devUserOf(request), {
      audience: config.audience,
      claims: config.claims,
    });
    const verify = await createVerifier(config);
    expect(await verify(`Bearer ${token}`)).toEqual({
      id: "ext-7",
      name: "ext-7",
      agency: "Shop",
      roles: ["reader"],
    });
  });

  it("follows configured audience and claim names in development mode", async () => {
    const env = {
      MASH_DATA_DIR: dataDir,
      MASH_AUTH_AUDIENCE: "shop-gateway",
      MASH_AUTH_CLAIM_ROLES: "grants",
    };
    const config = loadIdentityConfig(env);
    const token = await signDevToken(
      await loadDevSigningKey(dataDir),
      { username: "u1", name: "U One", agency: "Shop", roles: ["reader"] },
      { audience: config.audience, claims: config.claims },
    );
    expect((await (await createVerifier(config))(`Bearer ${token}`)).roles).toEqual(["reader"]);
  });
});

describe("npm run token", () => {
  const run = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, ["--import", "tsx", "gateway/src/identity/token-cli.ts", ...args], {
      cwd: root,
      env: { ...process.env, MASH_DATA_DIR: dataDir, ...env },
      encoding: "utf8",
    });

  it("prints a token for flags and verifies at the gateway", async () => {
    const out = run(["--sub", "ext-9", "--roles", "reader,auditor", "--agency", "Shop"]);
    expect(out.stderr).toBe("");
    expect(out.status).toBe(0);
    const verify = await createVerifier(loadIdentityConfig({ MASH_DATA_DIR: dataDir }));
    expect(await verify(`Bearer ${out.stdout.trim()}`)).toMatchObject({
      id: "ext-9",
      roles: ["reader", "auditor"],
    });
  });

  it("exits 2 naming a bad flag, printing no token", () => {
    const out = run(["--sub", "x", "--roles", "Bad-Role", "--agency", "Shop"]);
    expect(out.status).toBe(2);
    expect(out.stdout).toBe("");
    expect(out.stderr).toMatch(/^token: --roles: "Bad-Role" is not a role name/);
  });

  it("refuses flags as it refuses fixture users when an identity provider is configured", () => {
    const env = {
      MASH_AUTH_ISSUER: "https://login.example",
      MASH_AUTH_JWKS_URL: "https://login.example/jwks.json",
    };
    for (const args of [["sw.patel"], ["--sub", "x", "--roles", "reader", "--agency", "Shop"]]) {
      const out = run(args, env);
      expect(out.status).toBe(1);
      expect(out.stdout).toBe("");
      expect(out.stderr).toMatch(/refused; the gateway trusts an external identity provider/);
    }
  });
});
