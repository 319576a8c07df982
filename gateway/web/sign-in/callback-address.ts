/** The parameters a provider adds to the redirect URI; removed from the address bar once read. */
const CALLBACK_PARAMS = ["code", "state", "iss", "session_state", "error", "error_description"];

/**
 * Where the provider sends the browser back to: the page itself without query or fragment, or
 * `path` on its origin (an app with routes of its own registers one address, not each route).
 */
export function redirectUriOf(href: string, path?: string): string {
  const url = new URL(href);
  return `${url.origin}${path ?? url.pathname}`;
}

/** The page's address without the provider's callback parameters. */
export function withoutCallbackParams(href: string): string {
  const url = new URL(href);
  for (const name of CALLBACK_PARAMS) url.searchParams.delete(name);
  return url.toString();
}

/** Whether the address is the provider's answer to a sign-in (a code, or an error). */
export function isCallback(href: string): boolean {
  const params = new URL(href).searchParams;
  return params.has("state") && (params.has("code") || params.has("error"));
}

/** Where to put the address bar after a sign-in: the page as it was, on this origin only. */
export function returnAddress(kept: string | undefined, href: string): string {
  const fallback = withoutCallbackParams(href);
  if (!kept?.startsWith("/") || kept.startsWith("//")) return fallback;
  return new URL(kept, href).origin === new URL(href).origin ? kept : fallback;
}
