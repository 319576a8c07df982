/** The identity provider's discovery document (OpenID Connect Discovery 1.0), as sign-in uses it. */

export interface ProviderMetadata {
  readonly issuer: string;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly endSessionEndpoint?: string;
  readonly revocationEndpoint?: string;
}

type Fetch = typeof fetch;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export const discoveryUrl = (issuer: string): string =>
  `${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`;

/**
 * Reads and checks a discovery document. The token endpoint must be on the issuer's origin: the
 * apps' Content-Security-Policy lets them call that origin and no other.
 */
export function readMetadata(issuer: string, body: unknown): ProviderMetadata {
  const where = discoveryUrl(issuer);
  if (!isRecord(body)) throw new Error(`${where} is not a JSON object`);
  if (body.issuer !== issuer)
    throw new Error(
      `${where} names the issuer ${JSON.stringify(body.issuer)}, not ${issuer} (MASH_AUTH_ISSUER)`,
    );
  // The browser is sent to some of these addresses: a javascript: or data: URL there would run in
  // the app's page. https only, or http on a loopback host (a provider run for tests).
  const url = (name: string): string | undefined => {
    const value = body[name];
    if (value === undefined) return undefined;
    if (typeof value !== "string" || !URL.canParse(value))
      throw new Error(`${where}: ${name} is not a URL`);
    const { protocol, hostname } = new URL(value);
    const loopback = ["localhost", "127.0.0.1", "[::1]"].includes(hostname);
    if (!(protocol === "https:" || (protocol === "http:" && loopback)))
      throw new Error(
        `${where}: ${name} is ${protocol} on ${hostname || "no host"}; it must be https, or http on a loopback host`,
      );
    return value;
  };
  const authorizationEndpoint = url("authorization_endpoint");
  const tokenEndpoint = url("token_endpoint");
  if (!authorizationEndpoint || !tokenEndpoint)
    throw new Error(`${where} lacks authorization_endpoint or token_endpoint`);
  const methods = body.code_challenge_methods_supported;
  if (Array.isArray(methods) && !methods.includes("S256"))
    throw new Error(`${where}: the provider does not offer PKCE with S256`);
  const origin = new URL(issuer).origin;
  for (const [name, value] of [
    ["token_endpoint", tokenEndpoint],
    ["revocation_endpoint", url("revocation_endpoint")],
  ] as const) {
    if (value && new URL(value).origin !== origin)
      throw new Error(
        `${where}: ${name} is on ${new URL(value).origin}, not the issuer's origin ${origin}, which is all the console may call`,
      );
  }
  const endSessionEndpoint = url("end_session_endpoint");
  const revocationEndpoint = url("revocation_endpoint");
  return {
    issuer,
    authorizationEndpoint,
    tokenEndpoint,
    ...(endSessionEndpoint ? { endSessionEndpoint } : {}),
    ...(revocationEndpoint ? { revocationEndpoint } : {}),
  };
}

/** Fetches the issuer's discovery document; once per page, it changes rarely. */
export async function discover(issuer: string, fetcher: Fetch = fetch): Promise<ProviderMetadata> {
  const where = discoveryUrl(issuer);
  let response: Response;
  try {
    response = await fetcher(where, { headers: { accept: "application/json" } });
  } catch (error) {
    throw new Error(
      `Could not reach the identity provider at ${where}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (!response.ok) throw new Error(`${where} answered HTTP ${response.status}`);
  return readMetadata(issuer, await response.json().catch(() => undefined));
}
