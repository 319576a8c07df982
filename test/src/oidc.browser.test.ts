import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { devUsers, loadIdentityConfig, type RunningGateway, startGateway } from "@mash/gateway";
import { createLogger } from "@mash/kit";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserMissing, launchBrowser } from "./browser.ts";
import { type RunningProvider, startIdentityProvider } from "./identity-provider.ts";
import { startSystem, testGatewayConfig } from "./system.ts";

const CLIENT_ID = "mash-browser-apps";
/** Short, so that renewal happens within the test; the gateway allows 30 s of clock skew. */
const ACCESS_TOKEN_TTL_SECONDS = 8;

/** Just what the storage check reads; this package compiles without the DOM lib. */
interface PageGlobals {
  localStorage: {
    length: number;
    key(index: number): string | null;
    getItem(key: string): string | null;
  };
  sessionStorage: PageGlobals["localStorage"];
  document: { cookie: string };
}

/** The council ends a session at the provider: its refresh token revoked (the HTTP status). */
async function revokeAtProvider(issuer: string, token: string): Promise<number> {
  const revoked = await fetch(`${issuer}/token/revocation`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token, client_id: CLIENT_ID }),
  });
  return revoked.status;
}

/** Every refresh token the provider's token endpoint hands this page, in order. */
function refreshTokensSeenBy(page: Page, issuer: string): string[] {
  const tokens: string[] = [];
  page.on("response", (response) => {
    if (response.url().startsWith(`${issuer}/token`))
      response.json().then(
        (body: { refresh_token?: string }) => {
          if (body.refresh_token) tokens.push(body.refresh_token);
        },
        () => undefined,
      );
  });
  return tokens;
}

/** Everything this origin's page can keep: both storages, every entry, and its cookies. */
function keptByThePage(page: Page): Promise<string> {
  return page.evaluate(() => {
    const { localStorage, sessionStorage, document } = globalThis as unknown as PageGlobals;
    const dump = (storage: PageGlobals["localStorage"]) =>
      Array.from({ length: storage.length }, (_, index) => {
        const key = storage.key(index) ?? "";
        return `${key}=${storage.getItem(key) ?? ""}`;
      }).join("\n");
    return [dump(localStorage), dump(sessionStorage), document.cookie].join("\n");
  });
}

const isLoopback = (url: string) => ["127.0.0.1", "localhost"].includes(new URL(url).hostname);

const missingBrowser = browserMissing();

describe.skipIf(missingBrowser)("signing in through an OpenID Connect provider", () => {
  let provider: RunningProvider;
  let system: Awaited<ReturnType<typeof startSystem>>;
  let gateway: RunningGateway;
  let browser: Browser;
  let dataDir: string;
  let origin: string;

  beforeAll(async () => {
    const users = devUsers().filter((user) => ["sw.patel", "ig.police"].includes(user.username));
    provider = await startIdentityProvider({
      users,
      clientId: CLIENT_ID,
      audience: "mash-gateway",
      accessTokenTtl: ACCESS_TOKEN_TTL_SECONDS,
    });
    system = await startSystem({ subjects: 20 });
    dataDir = mkdtempSync(join(tmpdir(), "mash-oidc-gateway-"));
    const identity = loadIdentityConfig({
      MASH_DATA_DIR: dataDir,
      MASH_AUTH_ISSUER: provider.issuer,
      MASH_AUTH_JWKS_URL: provider.jwksUrl,
      MASH_AUTH_CLIENT_ID: CLIENT_ID,
    });
    gateway = await startGateway(
      testGatewayConfig(system.subgraphs.map((s) => ({ name: s.name, url: s.url }))),
      // The subgraphs answer only contexts signed with the system's key.
      { identity, contextKey: system.contextKey, logger: createLogger("test", "error") },
    );
    origin = new URL(gateway.url).origin;
    provider.register([`${origin}/graphql`, `${origin}/governance`, `${origin}/workspace`]);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
    await system?.stop();
    await provider?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** A fresh browser, reaching nothing beyond loopback (the provider's pages link web fonts). */
  async function freshPage(): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.route(
      (url) => !isLoopback(url.toString()),
      (route) => route.abort(),
    );
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    return { context, page, problems };
  }

  /** At the provider: its login form (any password), then its consent page when it asks. */
  async function logInAtProvider(page: Page, username: string): Promise<void> {
    await page.waitForURL((url) => url.origin === provider.issuer);
    await page.locator('input[name="login"]').fill(username);
    await page.locator('input[name="password"]').fill("any password will do");
    await page.getByRole("button", { name: "Sign-in" }).click();
    const consent = page.getByRole("button", { name: "Continue" });
    await Promise.race([
      consent.waitFor().then(() => consent.click()),
      page.waitForURL((url) => url.origin === origin),
    ]);
    await page.waitForURL((url) => url.origin === origin);
  }

  const who = (page: Page) => page.locator(".mash-console-who");

  async function signInToConsole(page: Page, username: string): Promise<void> {
    await page.goto(`${origin}/graphql`, { waitUntil: "load" });
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await logInAtProvider(page, username);
    await who(page)
      .filter({ hasText: `(${username})` })
      .waitFor();
  }

  async function runSubjectOverview(page: Page) {
    const tab = page.locator(".graphiql-tab-button", { hasText: /^SubjectOverview$/ }).first();
    await tab.click();
    await page.locator(".graphiql-query-editor", { hasText: "query SubjectOverview" }).waitFor();
    const answered = page.waitForResponse(
      (answer) =>
        answer.request().method() === "POST" &&
        new URL(answer.url()).pathname === "/graphql" &&
        (answer.request().postData() ?? "").includes("query SubjectOverview"),
    );
    await page.getByRole("button", { name: /Execute query/ }).click();
    const response = await answered;
    return {
      status: response.status(),
      authorization: response.request().headers().authorization ?? "",
      body: (await response.json()) as { data?: { subject?: unknown } | null; errors?: unknown[] },
    };
  }

  it("signs a practitioner in on the console, renews the token in memory and signs out", async () => {
    const { context, page, problems } = await freshPage();
    const tokenAnswers: string[] = [];
    page.on("response", (response) => {
      if (response.url().startsWith(`${provider.issuer}/token`))
        response.text().then(
          (text) => tokenAnswers.push(text),
          () => undefined,
        );
    });
    await page.goto(`${origin}/graphql`, { waitUntil: "load" });
    // The provider's sign-in, not the fixture picker.
    const signIn = page.getByRole("button", { name: "Sign in", exact: true });
    await signIn.waitFor();
    await expect(page.getByLabel("Sign in as").count()).resolves.toBe(0);
    await expect(page.getByText("Development sign-in").count()).resolves.toBe(0);
    await expect(who(page).textContent()).resolves.toMatch(/^Not signed in/);

    await signIn.click();
    await logInAtProvider(page, "sw.patel");
    await who(page)
      .filter({ hasText: /^Signed in as Priya Patel \(sw\.patel\)/ })
      .waitFor();
    // The code and state are gone from the address bar.
    expect(new URL(page.url()).search).toBe("");
    expect(provider.grants).toContain("authorization_code");

    // Her enquiries are listed with the provider's token, and SubjectOverview answers with data:
    // the gateway accepted the token, its audience and its roles.
    const enquiry = page.getByLabel("Enquiry (purpose)");
    await enquiry.locator('option[value="ENQ-2001"]').waitFor({ state: "attached" });
    await enquiry.selectOption("ENQ-2001");
    const first = await runSubjectOverview(page);
    expect(first.status).toBe(200);
    expect(first.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    expect(first.body.data?.subject).toBeTruthy();
    expect(JSON.stringify(first.body)).toContain("Larch Medical Centre");

    // No token anywhere the page could keep it: memory only.
    const accessToken = first.authorization.slice("Bearer ".length);
    const refreshTokens = tokenAnswers.flatMap(
      (text) => (JSON.parse(text) as { refresh_token?: string }).refresh_token ?? [],
    );
    expect(refreshTokens.length).toBeGreaterThan(0);
    const kept = await keptByThePage(page);
    expect(kept).not.toContain(accessToken);
    for (const token of refreshTokens) expect(kept).not.toContain(token);
    expect(kept).not.toMatch(/mash-oidc|eyJ/);

    // Before the short-lived token expires, the console renews it with the refresh token.
    await expect
      .poll(() => provider.grants.filter((grant) => grant === "refresh_token").length, {
        timeout: ACCESS_TOKEN_TTL_SECONDS * 3000,
      })
      .toBeGreaterThan(0);
    await who(page)
      .filter({ hasText: /^Signed in as Priya Patel/ })
      .waitFor();
    const renewed = await runSubjectOverview(page);
    expect(renewed.status).toBe(200);
    expect(renewed.authorization).not.toBe(first.authorization);
    expect(JSON.stringify(renewed.body)).toContain("Larch Medical Centre");
    // The enquiry she chose survives renewal: it is the same person.
    await expect(enquiry.inputValue()).resolves.toBe("ENQ-2001");
    expect(await keptByThePage(page)).not.toContain(renewed.authorization.slice(7));

    // Signing out ends the provider's session too, and comes back here signed out.
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL((url) => url.origin === provider.issuer);
    await page.getByRole("button", { name: "Yes, sign me out" }).click();
    await page.waitForURL((url) => url.origin === origin && url.pathname === "/graphql");
    await who(page)
      .filter({ hasText: /^Not signed in/ })
      .waitFor();
    await expect(keptByThePage(page)).resolves.not.toMatch(/eyJ/);
    // Signing in again asks for the login: the provider's session is over.
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL((url) => url.origin === provider.issuer);
    await page.locator('input[name="login"]').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it("says the sign-in expired when the provider will not renew it", async () => {
    const { context, page } = await freshPage();
    const refreshTokens = refreshTokensSeenBy(page, provider.issuer);
    await signInToConsole(page, "sw.patel");
    await expect.poll(() => refreshTokens.length).toBeGreaterThan(0);
    // The council ends the session at the provider: the refresh token is revoked.
    expect(await revokeAtProvider(provider.issuer, refreshTokens.at(-1) ?? "")).toBe(200);
    await who(page)
      .filter({ hasText: /^Your sign-in has expired: sign in again\..*Not signed in/ })
      .waitFor({ timeout: ACCESS_TOKEN_TTL_SECONDS * 3000 });
    await page.getByRole("button", { name: "Sign in", exact: true }).waitFor();
    await context.close();
  });

  it("signs a governance officer in on the governance console and out again", async () => {
    const { context, page, problems } = await freshPage();
    await page.goto(`${origin}/governance`, { waitUntil: "load" });
    await expect(page.getByText("Development sign-in").count()).resolves.toBe(0);
    await expect(page.getByLabel("Bearer token").count()).resolves.toBe(0);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await logInAtProvider(page, "ig.police");
    const signedInAs = page.getByTestId("signed-in-as");
    await signedInAs.filter({ hasText: "(ig.police)" }).waitFor();
    await expect(signedInAs.textContent()).resolves.toMatch(/governance officer/i);
    expect(new URL(page.url()).search).toBe("");
    await expect(keptByThePage(page)).resolves.not.toMatch(/eyJ|mash-oidc/);
    // The officer's workspace outlives a renewal of the token.
    const renewals = provider.grants.filter((grant) => grant === "refresh_token").length;
    await expect
      .poll(() => provider.grants.filter((grant) => grant === "refresh_token").length, {
        timeout: ACCESS_TOKEN_TTL_SECONDS * 3000,
      })
      .toBeGreaterThan(renewals);
    await signedInAs.filter({ hasText: "(ig.police)" }).waitFor();

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL((url) => url.origin === provider.issuer);
    await page.getByRole("button", { name: "Yes, sign me out" }).click();
    await page.waitForURL((url) => url.origin === origin && url.pathname === "/governance");
    await page.getByRole("button", { name: "Sign in", exact: true }).waitFor();
    await expect(signedInAs.count()).resolves.toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });
  const workspaceWho = (page: Page) => page.locator(".ws-who");

  /** The Authorization header of every /graphql request the page sends, in order. */
  function graphqlAuthorizations(page: Page): string[] {
    const seen: string[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).pathname === "/graphql")
        seen.push(request.headers().authorization ?? "");
    });
    return seen;
  }

  it("signs a practitioner in on the workspace, back to her route, renews and signs out", async () => {
    const { context, page, problems } = await freshPage();
    const sent = graphqlAuthorizations(page);
    // A link to an enquiry, opened signed out: sign-in comes back to it.
    const response = await page.goto(`${origin}/workspace#/enquiry/ENQ-2001`, {
      waitUntil: "load",
    });
    // The page may call the provider's token endpoint, and nothing else beyond its own origin.
    expect(response?.headers()["content-security-policy"]).toContain(
      `connect-src 'self' ${provider.issuer};`,
    );
    const signIn = page.getByRole("button", { name: "Sign in", exact: true });
    await signIn.waitFor();
    await expect(page.getByLabel("Sign in as").count()).resolves.toBe(0);
    await expect(page.getByText("Development sign-in").count()).resolves.toBe(0);
    await expect(workspaceWho(page).textContent()).resolves.toMatch(/^Not signed in/);

    await signIn.click();
    await logInAtProvider(page, "sw.patel");
    await workspaceWho(page)
      .filter({ hasText: /^Signed in as Priya Patel \(sw\.patel\), Children's social care/ })
      .waitFor();
    // Back on the enquiry she opened, the provider's code and state gone from the address bar.
    await page.getByRole("heading", { level: 1, name: "Enquiry ENQ-2001" }).waitFor();
    expect(new URL(page.url()).search).toBe("");
    expect(new URL(page.url()).hash).toBe("#/enquiry/ENQ-2001");
    // She works it with the provider's token: her agency leads it, so she re-rates it.
    const rag = page.getByRole("form", { name: "Change the RAG rating" });
    await rag.getByLabel(/New rating/).selectOption("AMBER");
    await rag.getByLabel(/Reason for the change/).fill("Police research shows no risk tonight");
    await rag.getByRole("button", { name: "Change rating" }).click();
    await page.getByText("RAG rating changed.").first().waitFor();
    await page
      .getByRole("region", { name: "RAG history" })
      .getByText("Police research shows no risk tonight")
      .waitFor();

    // Her inbox lists ENQ-2001: the gateway accepted the provider's token.
    await page.getByRole("link", { name: "Back to the inbox" }).click();
    await page.locator('tr[data-enquiry="ENQ-2001"]').first().waitFor();
    const first = sent.at(-1) ?? "";
    expect(first).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sent.every((authorization) => authorization === first)).toBe(true);
    const kept = await keptByThePage(page);
    expect(kept).not.toContain(first.slice("Bearer ".length));
    expect(kept).not.toMatch(/mash-oidc|eyJ/);

    // A renewal keeps her page as it is (nothing is fetched again); the next request carries it.
    const renewals = provider.grants.filter((grant) => grant === "refresh_token").length;
    const requestsBefore = sent.length;
    await expect
      .poll(() => provider.grants.filter((grant) => grant === "refresh_token").length, {
        timeout: ACCESS_TOKEN_TTL_SECONDS * 3000,
      })
      .toBeGreaterThan(renewals);
    await page.waitForTimeout(1000);
    expect(sent.length).toBe(requestsBefore);
    await page.locator('tr[data-enquiry="ENQ-2001"]').first().getByRole("link").click();
    await page.getByRole("heading", { level: 1, name: "Enquiry ENQ-2001" }).waitFor();
    const renewed = sent.at(-1) ?? "";
    expect(renewed).toMatch(/^Bearer /);
    expect(renewed).not.toBe(first);
    await expect(keptByThePage(page)).resolves.not.toContain(renewed.slice("Bearer ".length));

    // Signing out ends the provider's session and comes back to the workspace, signed out.
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL((url) => url.origin === provider.issuer);
    await page.getByRole("button", { name: "Yes, sign me out" }).click();
    await page.waitForURL((url) => url.origin === origin && url.pathname === "/workspace");
    await page.getByRole("button", { name: "Sign in", exact: true }).waitFor();
    await workspaceWho(page)
      .filter({ hasText: /^Not signed in/ })
      .waitFor();
    await expect(page.locator('tr[data-enquiry="ENQ-2001"]').count()).resolves.toBe(0);
    await expect(keptByThePage(page)).resolves.not.toMatch(/eyJ/);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("tells a practitioner on the workspace that her sign-in expired, and leaves her enquiry", async () => {
    const { context, page } = await freshPage();
    const refreshTokens = refreshTokensSeenBy(page, provider.issuer);
    await page.goto(`${origin}/workspace#/enquiry/ENQ-2001`, { waitUntil: "load" });
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await logInAtProvider(page, "sw.patel");
    await page.getByRole("heading", { level: 1, name: "Enquiry ENQ-2001" }).waitFor();
    await expect.poll(() => refreshTokens.length).toBeGreaterThan(0);
    expect(await revokeAtProvider(provider.issuer, refreshTokens.at(-1) ?? "")).toBe(200);
    await workspaceWho(page)
      .filter({ hasText: /^Your sign-in has expired: sign in again\..*Not signed in/ })
      .waitFor({ timeout: ACCESS_TOKEN_TTL_SECONDS * 3000 });
    // Signed out is a change of user: the enquiry (her purpose) is left, as on switching user.
    await page.getByRole("button", { name: "Sign in", exact: true }).waitFor();
    await expect(page.getByRole("heading", { name: "Enquiry ENQ-2001" }).count()).resolves.toBe(0);
    expect(new URL(page.url()).hash).toBe("#/");
    await context.close();
  });
});
