import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { codeChallengeS256, randomToken } from "./pkce.ts";

describe("PKCE", () => {
  it("makes 43-character base64url verifiers, different each time", () => {
    const verifiers = new Set(Array.from({ length: 50 }, () => randomToken(32)));
    expect(verifiers.size).toBe(50);
    for (const verifier of verifiers) expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("hashes the verifier as RFC 7636 S256 does: base64url(SHA-256), unpadded", async () => {
    // Node's own hash as the reference: another implementation than WebCrypto's.
    const verifier = randomToken();
    await expect(codeChallengeS256(verifier)).resolves.toBe(
      createHash("sha256").update(verifier).digest("base64url"),
    );
  });
});
