import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { close, listen } from "@mash/kit/http";
import { exportJWK, generateKeyPair } from "jose";
import Provider, { type Token } from "oidc-provider";

/** A user the provider signs in, with the claims the gateway maps (roles, agency, name). */
export interface ProviderUser {
  readonly username: string;
  readonly name: string;
  readonly agency: string;
  readonly roles: readonly string[];
}

export interface ProviderOptions {
  users: readonly ProviderUser[];
  clientId: string;
  /** The gateway's audience (MASH_AUTH_AUDIENCE) the access tokens name. */
  audience: string;
  /** Access token lifetime in seconds. */
  accessTokenTtl: number;
}

export interface RunningProvider {
  /** http://localhost:<port>: another host than the gateway's 127.0.0.1, so no shared cookies. */
  readonly issuer: string;
  readonly jwksUrl: string;
  /** Every grant the token endpoint answered, in order: "authorization_code", "refresh_token". */
  readonly grants: string[];
  /** The gateway pages it may send people back to; known only once the gateway listens. */
  register(redirectUris: readonly string[]): void;
  stop(): Promise<void>;
}

/** The provider's sign-out confirmation, without the default page's web fonts. */
async function logoutSource(ctx: { body: string }, form: string): Promise<void> {
  ctx.body = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Sign out</title></head><body>
${form}<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button></body></html>`;
}

/** The resource indicator of the gateway's API: access tokens for it are JWTs it can verify. */
const GATEWAY_RESOURCE = "urn:mash:gateway";

/**
 * A real OpenID Connect provider (oidc-provider) on loopback, configured as a council's should be
 * for MASH: a public client with PKCE, JWT access tokens for the gateway's audience carrying the
 * roles, agency and name claims, refresh tokens (rotated), revocation and RP-initiated logout.
 * Its development interactions stand in for the council's login page: any password is accepted.
 */
export async function startIdentityProvider(options: ProviderOptions): Promise<RunningProvider> {
  let handle: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server = createServer((req, res) => {
    if (handle) handle(req, res);
    else res.writeHead(503).end("not configured yet");
  });
  const port = await listen(server, 0, "127.0.0.1");
  const issuer = `http://localhost:${port}`;
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const signing = {
    ...(await exportJWK(privateKey)),
    kid: "test-signing",
    alg: "RS256",
    use: "sig",
  };
  const users = new Map(options.users.map((user) => [user.username, user]));
  const claimsOf = (id: string | undefined) => {
    const user = id ? users.get(id) : undefined;
    return user ? { name: user.name, agency: user.agency, roles: [...user.roles] } : {};
  };
  const grants: string[] = [];

  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    grants,
    register(redirectUris) {
      const allowedOrigins = new Set(redirectUris.map((uri) => new URL(uri).origin));
      const provider = new Provider(issuer, {
        clients: [
          {
            client_id: options.clientId,
            token_endpoint_auth_method: "none",
            application_type: "web",
            grant_types: ["authorization_code", "refresh_token"],
            response_types: ["code"],
            redirect_uris: [...redirectUris],
            post_logout_redirect_uris: [...redirectUris],
          },
        ],
        jwks: { keys: [signing] },
        cookies: { keys: ["oidc-test-cookie-key-not-secret"] },
        pkce: { required: () => true },
        claims: { openid: ["sub"], profile: ["name", "agency", "roles"] },
        async findAccount(_ctx: unknown, id: string) {
          if (!users.has(id)) return undefined;
          return { accountId: id, claims: async () => ({ sub: id, ...claimsOf(id) }) };
        },
        // The gateway maps roles and agency from its access token, not from userinfo.
        async extraTokenClaims(_ctx: unknown, token: Token) {
          return token.kind === "AccessToken" ? claimsOf(token.accountId) : undefined;
        },
        // As councils' providers do for a single-page app: refresh tokens without asking for
        // consent each time (oidc-provider otherwise wants prompt=consent with offline_access).
        async issueRefreshToken(
          _ctx: unknown,
          client: { grantTypeAllowed(type: string): boolean },
        ) {
          return client.grantTypeAllowed("refresh_token");
        },
        ttl: {
          AccessToken: options.accessTokenTtl,
          IdToken: 3600,
          RefreshToken: 86_400,
          Interaction: 600,
          Session: 3600,
          Grant: 86_400,
        },
        // The gateway's pages alone may call the token endpoint from a browser.
        clientBasedCORS: (_ctx: unknown, origin: string) => allowedOrigins.has(origin),
        features: {
          devInteractions: { enabled: true },
          revocation: { enabled: true, allowedPolicy: async () => true },
          rpInitiatedLogout: { enabled: true, logoutSource },
          resourceIndicators: {
            enabled: true,
            defaultResource: async () => GATEWAY_RESOURCE,
            useGrantedResource: async () => true,
            getResourceServerInfo: async () => ({
              scope: "openid profile offline_access",
              audience: options.audience,
              accessTokenFormat: "jwt",
              accessTokenTTL: options.accessTokenTtl,
              jwt: { sign: { alg: "RS256" } },
            }),
          },
        },
      });
      provider.on("grant.success", (ctx: { oidc: { params?: Record<string, unknown> } }) => {
        grants.push(String(ctx.oidc.params?.grant_type));
      });
      handle = provider.callback();
    },
    stop: () => close(server),
  };
}
