import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError } from "../errors.ts";
import { createContextVerifier, signContext } from "./context.ts";
import {
  contextKeyFile,
  devContextKey,
  loadContextSigningKey,
  loadContextVerifyKeys,
} from "./key-config.ts";
import { importSigningKey, importVerifyKeys, newContextKeyPair } from "./keys.ts";

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "mash-trust-"));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const caller = { sub: "pc.jones", roles: ["police_officer"], rid: "r-1" };

describe("the development key pair", () => {
  it("is made once, private to its owner, however many processes race to make it", async () => {
    const dir = join(tempDir(), "not-yet-made");
    const keys = await Promise.all(Array.from({ length: 8 }, () => devContextKey(dir)));
    expect(new Set(keys.map((k) => k.kid)).size).toBe(1);
    expect(statSync(contextKeyFile(dir)).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(["gateway-context-key.json"]);
    expect((await devContextKey(dir)).kid).toBe(keys[0]?.kid);
  });

  it("keeps the data directory and a key file made looser to their owner", async () => {
    const dir = join(tempDir(), "data");
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    await devContextKey(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    chmodSync(contextKeyFile(dir), 0o644);
    await devContextKey(dir);
    expect(statSync(contextKeyFile(dir)).mode & 0o777).toBe(0o600);
  });

  it("lets a subgraph verify what the gateway signs when neither is configured", async () => {
    const dir = tempDir();
    const verify = await loadContextVerifyKeys({ env: { MASH_DATA_DIR: dir } });
    const sign = await loadContextSigningKey({ env: {}, dataDir: dir });
    expect(verify.development && sign?.development).toBe(true);
    if (!sign) throw new Error("no key");
    const token = await signContext(sign.value, "police", caller, "{}");
    expect((await createContextVerifier(verify.value, "police")(token, "{}")).caller).toEqual(
      caller,
    );
  });

  it("is not made by a tool that asks only to find it", async () => {
    const dir = tempDir();
    expect(await loadContextSigningKey({ env: {}, dataDir: dir, create: false })).toBeUndefined();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe("configured keys", () => {
  it("come from MASH_CONTEXT_SIGNING_KEY and MASH_CONTEXT_VERIFY_KEYS, not the data directory", async () => {
    const { privateJwk, publicJwk } = await newContextKeyPair();
    const dir = tempDir();
    const env = {
      MASH_DATA_DIR: dir,
      MASH_CONTEXT_SIGNING_KEY: JSON.stringify(privateJwk),
      MASH_CONTEXT_VERIFY_KEYS: JSON.stringify([publicJwk]),
    };
    const sign = await loadContextSigningKey({ env });
    const verify = await loadContextVerifyKeys({ env });
    expect(sign?.source).toBe("MASH_CONTEXT_SIGNING_KEY");
    expect(verify.source).toBe("MASH_CONTEXT_VERIFY_KEYS");
    expect([...verify.value.keys()]).toEqual([privateJwk.kid]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("are refused, naming the setting, when they cannot work", async () => {
    const { privateJwk, publicJwk } = await newContextKeyPair();
    const cases: [Promise<unknown>, RegExp][] = [
      [importVerifyKeys("{"), /^MASH_CONTEXT_VERIFY_KEYS: is not JSON/],
      [importVerifyKeys(JSON.stringify(publicJwk)), /must be a JSON array/],
      [importVerifyKeys([]), /must be a JSON array of one or more/],
      [importVerifyKeys([privateJwk]), /includes the private part/],
      [importVerifyKeys([publicJwk, publicJwk]), /names kid ".*" twice/],
      [importVerifyKeys([{ ...publicJwk, kid: undefined }]), /no usable "kid"/],
      [importVerifyKeys([{ ...publicJwk, crv: "P-256" }]), /not an Ed25519 key/],
      [importVerifyKeys([{ ...publicJwk, alg: "HS256" }]), /is for "HS256"/],
      [importSigningKey(publicJwk), /^MASH_CONTEXT_SIGNING_KEY: key .* is public/],
    ];
    for (const [attempt, message] of cases) {
      const error = await attempt.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(message);
    }
  });
});

describe("a malformed key setting", () => {
  // JSON.parse's own message quotes the start of the text, which here is a private key: the
  // error (printed by npm start's preflight and the gateway) must carry none of it.
  it.each([
    ['{"kty":"OKP","d":"sEcReT-kEy-MaTeRiAl', "MASH_CONTEXT_SIGNING_KEY"],
    ["sEcReT-kEy-MaTeRiAl", "MASH_CONTEXT_SIGNING_KEY"],
  ])("names the setting and quotes nothing of %s", async (value, setting) => {
    const error = await importSigningKey(value).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(String((error as Error).message)).toBe(`${setting}: is not JSON`);
    expect(String((error as Error).message)).not.toMatch(/sEcReT|kEy|MaTeRiAl/);
  });
});
