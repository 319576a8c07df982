import { type DevUser, loadFixtures } from "@mash/kit";
import { SignJWT } from "jose";
import { DEFAULT_AUDIENCE, DEV_ISSUER } from "./config.ts";
import type { DevSigningKey } from "./dev-keys.ts";

/** The development users: the contract's fixture users, nobody else. */
export const devUsers = (): DevUser[] => loadFixtures().users;

export async function signDevToken(
  key: DevSigningKey,
  user: DevUser,
  options: { audience?: string; expiresIn?: string } = {},
): Promise<string> {
  return new SignJWT({ name: user.name, agency: user.agency, roles: user.roles })
    .setProtectedHeader({ alg: "ES256", kid: key.kid, typ: "JWT" })
    .setSubject(user.username)
    .setIssuer(DEV_ISSUER)
    .setAudience(options.audience ?? DEFAULT_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? "8h")
    .sign(key.privateKey);
}
