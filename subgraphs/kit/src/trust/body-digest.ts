import { createHash } from "node:crypto";

/**
 * The `bdy` claim: sha256 of the exact request body bytes, base64url. A context carries the
 * digest of the one body it was signed for, so it authorises that request and no other.
 */
export const bodyDigest = (body: string | Uint8Array): string =>
  createHash("sha256").update(body).digest("base64url");
