import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody, sendJson } from "@mash/kit/http";
import type { DevSigningKey } from "../identity/dev-keys.ts";
import { devUsers, signDevToken } from "../identity/dev-tokens.ts";

/**
 * Development sign-in for the console's "sign in as" picker: lists the fixture users and issues
 * their tokens. Exists only in development identity mode; with an external issuer these paths
 * are 404 like any other.
 */
export function devRoutes(key: DevSigningKey, audience: string) {
  return (req: IncomingMessage, res: ServerResponse, path: string): boolean => {
    if (path === "/dev/users" && req.method === "GET") {
      sendJson(res, 200, {
        users: devUsers().map(({ username, name, agency, roles }) => ({
          username,
          name,
          agency,
          roles,
        })),
      });
      return true;
    }
    if (path === "/dev/token" && req.method === "POST") {
      readBody(req, 10_000)
        .then(async (text) => {
          let username: unknown;
          try {
            username = (JSON.parse(text) as { username?: unknown }).username;
          } catch {}
          const user = devUsers().find((u) => u.username === username);
          if (!user)
            return sendJson(res, 400, {
              error: `No development user ${JSON.stringify(username ?? null)}.`,
            });
          sendJson(res, 200, { token: await signDevToken(key, user, { audience }) });
        })
        .catch(() => sendJson(res, 400, { error: "Could not read the request." }));
      return true;
    }
    return false;
  };
}
