import { createHash } from "node:crypto";

/**
 * Shared by the build (which puts it in asset URLs as `?v=`) and the server (which uses it as the
 * ETag and to recognise a versioned URL it may mark immutable), so the two must agree exactly.
 */
export function contentHash(body: Uint8Array | string): string {
  return createHash("sha256").update(body).digest("hex").slice(0, 16);
}
