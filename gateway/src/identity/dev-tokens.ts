import { type DevUser, loadFixtures } from "@mash/kit";
import { SignJWT } from "jose";
import { DEFAULT_AUDIENCE, DEV_ISSUER, type IdentityConfig } from "./config.ts";
import type { DevSigningKey } from "./dev-keys.ts";

/** The development users: the contract's fixture users, nobody else. */
export const devUsers = (): DevUser[] => loadFixtures().users;

export async function signDevToken(
  key: DevSigningKey,
  user: DevUser,
  options: {
    audience?: string;
    expiresIn?: string;
    /**
     * The claim names the gateway reads (`MASH_AUTH_CLAIM_*`), so a token it signed still
     * verifies when those are set in development mode.
     */
    claims?: IdentityConfig["claims"];
  } = {},
): Promise<string> {
  const claims = options.claims ?? { name: "name", agency: "agency", roles: "roles" };
  return new SignJWT({
    [claims.name]: user.name,
    [claims.agency]: user.agency,
    [claims.roles]: user.roles,
  })
    .setProtectedHeader({ alg: "ES256", kid: key.kid, typ: "JWT" })
    .setSubject(user.username)
    .setIssuer(DEV_ISSUER)
    .setAudience(options.audience ?? DEFAULT_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? "8h")
    .sign(key.privateKey);
}
