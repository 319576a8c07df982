import { randomBytes } from "node:crypto";
import { devUsers, type loadDevSigningKey, signDevToken } from "@mash/gateway";

type DevSigningKey = Awaited<ReturnType<typeof loadDevSigningKey>>;

export interface Identity {
  agency: string;
  roles: string[];
}

export const SOCIAL_WORKER: Identity = { agency: "childrens-services", roles: ["social_worker"] };
export const MANAGER: Identity = { agency: "childrens-services", roles: ["mash_manager"] };
export const NURSE: Identity = { agency: "health", roles: ["health_safeguarding_nurse"] };

export interface Identities {
  /** A token for a fixture user (the two police officers of the two-person review). */
  fixture(username: string): Promise<string>;
  /**
   * A token for a new user with these roles: the rate budget is per user, and the topology's is
   * small on purpose (the budget check), so every other request is made by someone new. The
   * engine knows no user by name: such a user is judged exactly as a fixture user of the roles.
   */
  fresh(identity: Identity): Promise<{ user: string; token: string }>;
}

/** Tokens signed with the development key every gateway of the topology trusts. */
export function identities(key: DevSigningKey, run: string): Identities {
  let count = 0;
  return {
    async fixture(username) {
      const user = devUsers().find((u) => u.username === username);
      if (!user) throw new Error(`no development user ${username}`);
      return signDevToken(key, user);
    },
    async fresh(identity) {
      const user = `topology.${run}.${++count}.${randomBytes(2).toString("hex")}`;
      const token = await signDevToken(key, {
        username: user,
        name: "Topology Test User",
        agency: identity.agency,
        roles: identity.roles,
      });
      return { user, token };
    },
  };
}
