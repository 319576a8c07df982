import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page, Response } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_OPERATIONS_DIR } from "../../gateway/web/build/build.ts";
import { loadOperations } from "../../gateway/web/build/operations.ts";
import { EXAMPLES, suggestedSignIn, TAB_ORDER } from "../../gateway/web/console/examples.ts";
import { browserMissing, launchBrowser } from "./browser.ts";
import { startSystem } from "./system.ts";

const ARTIFACTS = fileURLToPath(new URL("../../test-artifacts/", import.meta.url));

/** Just the part of the page `responseText` reads; this package compiles without the DOM lib. */
interface PageDocument {
  querySelector(selector: string): { CodeMirror?: { getValue(): string } } | null;
}

/** The text of GraphiQL's response pane; CodeMirror only puts visible lines in the DOM. */
function responseText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const { document } = globalThis as unknown as { document: PageDocument };
    return document.querySelector(".graphiql-response .CodeMirror")?.CodeMirror?.getValue() ?? "";
  });
}

interface Answer {
  data?: Record<string, unknown> | null;
  errors?: { message?: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** The id the status line shows, read as a screen reader finds it: in the status region. */
function shownRequestId(page: Page) {
  return page.getByRole("status").filter({ hasText: "Request id: " }).locator("code");
}

async function signInAs(page: Page, username: string): Promise<void> {
  await page.getByLabel("Sign in as").selectOption(username);
  await page
    .locator(".mash-console-who", {
      hasText: new RegExp(`^Signed in as .+ \\(${username.replaceAll(".", "\\.")}\\)`),
    })
    .waitFor();
}

/**
 * Runs the open tab's operation with the Execute button and returns what went over the wire and
 * what the response pane shows, once the pane shows the gateway's answer.
 */
async function execute(page: Page, operationName: string) {
  const answered = page.waitForResponse(
    (response) =>
      response.request().method() === "POST" &&
      new URL(response.url()).pathname === "/graphql" &&
      (response.request().postData() ?? "").includes(`"operationName":"${operationName}"`),
    { timeout: 20_000 },
  );
  await page.getByRole("button", { name: /Execute query/ }).click();
  const response: Response = await answered.catch(async (error: unknown) => {
    // Most likely the console answered itself: say what it showed, not just that time ran out.
    const status = await page.locator("#mash-request-status").textContent();
    throw new Error(`${operationName} got no answer: "${status}" ${await responseText(page)}`, {
      cause: error,
    });
  });
  const body = (await response.json()) as Answer;
  await expect
    .poll(async () => {
      const text = await responseText(page);
      return text ? JSON.parse(text) : undefined;
    })
    .toEqual(body);
  return { response, body, sent: response.request().headers() };
}

async function openTab(page: Page, name: string): Promise<void> {
  await page.locator(".graphiql-tab-button", { hasText: new RegExp(`^${name}$`) }).click();
  await page
    .locator(".graphiql-query-editor", { hasText: new RegExp(`(query|mutation) ${name}\\b`) })
    .waitFor();
}

/** A fresh browser context on the console, collecting page errors and console errors. */
async function openConsole(browser: Browser, url: string) {
  const context: BrowserContext = await browser.newContext({
    viewport: { width: 1440, height: 900 },
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  await page.goto(url, { waitUntil: "load" });
  await page.getByText("Development sign-in: synthetic data only").waitFor();
  return { context, page, problems };
}

const missingBrowser = browserMissing();

describe.skipIf(missingBrowser)("GraphiQL console in a browser", () => {
  let system: Awaited<ReturnType<typeof startSystem>>;
  let browser: Browser;

  beforeAll(async () => {
    system = await startSystem({ subjects: 20 });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  it("signs in, states a purpose and runs SubjectOverview without touching any other host", async () => {
    const gateway = new URL(system.gatewayUrl);
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      permissions: ["clipboard-read", "clipboard-write"],
    });
    const requested: string[] = [];
    context.on("request", (request) => requested.push(request.url()));
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console error: ${message.text()}`);
    });

    const response = await page.goto(system.gatewayUrl, { waitUntil: "load" });
    expect(response?.status()).toBe(200);
    await expect(page.title()).resolves.toBe("MASH Gateway console");
    await page.getByText("Development sign-in: synthetic data only").waitFor();
    await expect(page.getByText("authorization is not enforced").count()).resolves.toBe(0);

    // The pickers are found by their labels, as a screen reader user would find them.
    await page.getByLabel("Sign in as").selectOption("sw.patel");
    await page.getByText(/^Signed in as Priya Patel \(sw\.patel\)/).waitFor();
    const enquiry = page.getByLabel("Enquiry (purpose)");
    await enquiry.locator('option[value="ENQ-2001"]').waitFor({ state: "attached" });
    // Only the open enquiries her agency takes part in are offered, each with its rating and
    // reason: children's social care is not in ENQ-2003 (adult-led), and ENQ-1999 is closed.
    const offered = (value: string) => enquiry.locator(`option[value="${value}"]`).count();
    await expect(offered("ENQ-2002")).resolves.toBe(1);
    await expect(offered("ENQ-2003")).resolves.toBe(0);
    await expect(offered("ENQ-1999")).resolves.toBe(0);
    const labels = await enquiry.locator("option").allTextContents();
    expect(labels.find((label) => label.startsWith("ENQ-2001"))).toMatch(/RED/);
    // Most urgent first: the hub lists newest first (ENQ-2002, AMBER, opened a day after), the
    // picker RED before AMBER before GREEN, each rating's soonest due first, and says how urgent
    // in words: both are past their deadline on the fixtures' dates.
    const values = await enquiry
      .locator("option")
      .evaluateAll((options) => options.map((option) => (option as { value: string }).value));
    expect(values[0]).toBe("");
    expect(values.indexOf("ENQ-2001")).toBeLessThan(values.indexOf("ENQ-2002"));
    const ratings = labels.slice(1).map((label) => /\((RED|AMBER|GREEN)\b/.exec(label)?.[1]);
    const rank = ratings.map((rag) => ["RED", "AMBER", "GREEN"].indexOf(rag ?? ""));
    expect(rank).toEqual([...rank].sort((a, b) => a - b));
    expect(rank).not.toContain(-1);
    expect(labels.find((label) => label.startsWith("ENQ-2001"))).toMatch(
      /^ENQ-2001 \(RED, overdue\): School reports Amelia disclosed violence at home$/,
    );
    await enquiry.selectOption("ENQ-2001");
    await expect(enquiry.inputValue()).resolves.toBe("ENQ-2001");
    await expect(page.getByLabel("Break glass reason").inputValue()).resolves.toBe("");

    // SubjectOverview opens first, its example variables already in place, and no tab carries
    // headers of its own: the pickers supply them.
    const variables = page.locator(".graphiql-editor-tool", { hasText: '"id": "S-1001"' });
    await variables.waitFor();
    const tab = page.locator(".graphiql-tab-button", { hasText: /^SubjectOverview$/ });
    await tab.click();
    await page.locator(".graphiql-query-editor", { hasText: "query SubjectOverview" }).waitFor();
    await page.getByRole("button", { name: "Headers" }).click();
    await expect(page.locator(".graphiql-editor-tool").textContent()).resolves.not.toMatch(
      /X-MASH|Authorization/i,
    );
    await page.getByRole("button", { name: "Variables" }).click();
    await variables.waitFor();

    const sent = page.waitForRequest(
      (request) =>
        request.method() === "POST" && (request.postData() ?? "").includes("query SubjectOverview"),
    );
    const answered = page.waitForResponse(
      (answer) =>
        answer.request().method() === "POST" &&
        (answer.request().postData() ?? "").includes("query SubjectOverview"),
    );
    await expect(shownRequestId(page).count()).resolves.toBe(0);
    await page.getByRole("button", { name: /Execute query/ }).click();
    // The pickers, not the tab, put the token and the purpose on the request.
    const headers = (await sent).headers();
    expect(headers.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    expect(headers["x-mash-enquiry"]).toBe("ENQ-2001");
    expect(headers["x-mash-break-glass"]).toBeUndefined();

    await expect
      .poll(() => responseText(page), { timeout: 30_000 })
      .toContain("Larch Medical Centre");
    const result = JSON.parse(await responseText(page)) as {
      data?: {
        subject?: {
          name?: { given?: string };
          health?: { gpPractice?: { name?: string }; mentalHealth?: { service?: unknown } };
        };
      };
      errors?: { path?: (string | number)[]; extensions?: Record<string, unknown> }[];
    };
    expect(result.data?.subject?.name?.given).toBe("Amelia");
    // sw.patel in ENQ-2001 sees S-1001's GP practice, but mental health detail stays with health.
    expect(result.data?.subject?.health?.gpPractice?.name).toBe("Larch Medical Centre");
    expect(result.data?.subject?.health?.mentalHealth?.service).toBeNull();
    expect(result.errors).toContainEqual(
      expect.objectContaining({
        path: ["subject", "health", "mentalHealth", "service"],
        extensions: expect.objectContaining({
          code: "UNAUTHORIZED_FIELD_OR_TYPE",
          rule: "health-mental-health-service",
          owner: "health",
        }),
      }),
    );
    // The errors come first and CodeMirror draws only the lines in view: a window tall enough
    // for the answer down to S-1001's health record lets the screenshot show the withheld field
    // and the data around it.
    // Each withheld field's error carries its owner's contact point (six lines more apiece).
    const height = 4400;
    await page.setViewportSize({ width: 1440, height });
    for (const shown of ["health-mental-health-service", '"Amelia"', "Larch Medical Centre"]) {
      const line = page.locator(".graphiql-response .CodeMirror-line", { hasText: shown }).first();
      await expect
        .poll(async () => (await line.boundingBox())?.y ?? height, { timeout: 10_000 })
        .toBeLessThan(height - 30);
    }

    // The answer's X-Request-Id is on the status line, in a live region, and copies as it is.
    const requestId = (await answered).headers()["x-request-id"];
    expect(requestId).toMatch(/\S{8,}/);
    await expect(shownRequestId(page).textContent()).resolves.toBe(requestId);
    await expect(page.locator("#mash-request-status").textContent()).resolves.toBe(
      `Request id: ${requestId} (HTTP 200, SubjectOverview).`,
    );
    await page.getByRole("button", { name: "Copy request id" }).click();
    await page.getByText("Copied.").waitFor();
    await expect(
      page.evaluate(() =>
        (
          globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
        ).navigator.clipboard.readText(),
      ),
    ).resolves.toBe(requestId);

    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}console.png` });

    // Councils run air-gapped: anything but the gateway's own origin would be a CDN or a leak.
    const foreign = requested.filter((url) => {
      const { protocol, host } = new URL(url);
      return protocol !== "data:" && protocol !== "blob:" && host !== gateway.host;
    });
    expect(foreign).toEqual([]);
    expect(requested.some((url) => url.includes("/console/console.js"))).toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("clears the enquiry and the break-glass reason when the user changes", async () => {
    const { context, page, problems } = await openConsole(browser, system.gatewayUrl);
    await signInAs(page, "sw.patel");
    const enquiry = page.getByLabel("Enquiry (purpose)");
    const reason = page.getByLabel("Break glass reason");
    await enquiry.locator('option[value="ENQ-2001"]').waitFor({ state: "attached" });
    await enquiry.selectOption("ENQ-2001");
    await reason.fill("Child at immediate risk; duty manager approved the look");
    await openTab(page, "SubjectOverview");

    // A social worker may not break the glass: the gateway refuses, and the refusal's id is
    // shown all the same, since that is the answer users are told to quote.
    const refused = await execute(page, "SubjectOverview");
    expect(refused.sent["x-mash-enquiry"]).toBe("ENQ-2001");
    expect(refused.sent["x-mash-break-glass"]).toMatch(/^Child at immediate risk/);
    expect(refused.response.status()).toBe(403);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe("BREAK_GLASS_NOT_PERMITTED");
    const refusedId = refused.response.headers()["x-request-id"];
    await expect(shownRequestId(page).textContent()).resolves.toBe(refusedId);
    await expect(page.locator("#mash-request-status").textContent()).resolves.toBe(
      `Request id: ${refusedId} (HTTP 403, SubjectOverview).`,
    );

    await signInAs(page, "pc.jones");
    await expect(enquiry.inputValue()).resolves.toBe("");
    await expect(enquiry.locator("option:checked").textContent()).resolves.toBe("No enquiry");
    await expect(reason.inputValue()).resolves.toBe("");

    const next = await execute(page, "SubjectOverview");
    expect(next.sent.authorization).toMatch(/^Bearer /);
    expect(next.sent["x-mash-enquiry"]).toBeUndefined();
    expect(next.sent["x-mash-break-glass"]).toBeUndefined();
    expect(next.response.status()).toBe(200);
    const nextId = next.response.headers()["x-request-id"];
    expect(nextId).not.toBe(refusedId);
    await expect(shownRequestId(page).textContent()).resolves.toBe(nextId);
    // Chromium logs the refusal's status itself; anything else would be the console's fault.
    expect(problems.filter((problem) => !/status of 403/.test(problem))).toEqual([]);
    await context.close();
  });

  it("runs every tab's example, in tab order on the fresh seed, as the user its lines suggest", async () => {
    const operations = await loadOperations(DEFAULT_OPERATIONS_DIR);
    const documents = new Map(operations.map((operation) => [operation.name, operation.document]));
    // Every operation of the contract is a tab, in the walk-through's order.
    expect([...TAB_ORDER].sort()).toEqual([...documents.keys()].sort());
    const { context, page, problems } = await openConsole(browser, system.gatewayUrl);
    await expect(page.locator(".graphiql-tab-button").allTextContents()).resolves.toEqual(
      TAB_ORDER,
    );

    const enquiry = page.getByLabel("Enquiry (purpose)");
    for (const name of TAB_ORDER) {
      const suggested = suggestedSignIn(name);
      await openTab(page, name);
      // The tab's own first lines are where a user learns whom to sign in as.
      const query = page.locator(".graphiql-query-editor");
      await expect(query.textContent()).resolves.toContain(`Sign in as ${suggested.user}`);
      if ((await page.getByLabel("Sign in as").inputValue()) !== suggested.user) {
        await signInAs(page, suggested.user);
      }
      if (suggested.enquiry) {
        await enquiry
          .locator(`option[value="${suggested.enquiry}"]`)
          .waitFor({ state: "attached" });
      }
      await enquiry.selectOption(suggested.enquiry ?? "");

      const { response, body, sent } = await execute(page, name);
      expect(sent["x-mash-enquiry"], name).toBe(suggested.enquiry);
      expect(response.status(), name).toBe(200);
      const mutation = /^mutation /m.test(documents.get(name) ?? "");
      const refusals: string[] = [];
      for (const error of body.errors ?? []) {
        const code = String(error.extensions?.code);
        // A query may come back with fields withheld, each with its reason: the console's point.
        if (mutation || code !== "UNAUTHORIZED_FIELD_OR_TYPE") {
          refusals.push(`${name} as ${suggested.user}: ${code} ${error.message}`);
        }
      }
      expect(refusals).toEqual([]);
      expect(Object.values(body.data ?? {})[0], name).toEqual(expect.any(Object));
      await expect(shownRequestId(page).textContent(), name).resolves.toBe(
        response.headers()["x-request-id"],
      );
      // A placeholder went out as the id its step returned, and the status line says which.
      const sentVariables = JSON.stringify(
        JSON.parse(response.request().postData() ?? "{}").variables,
      );
      expect(sentVariables, name).not.toContain("<id returned by");
      if (JSON.stringify(EXAMPLES[name]?.variables).includes("<id returned by")) {
        await expect(page.locator("#mash-request-status").textContent(), name).resolves.toMatch(
          /Sent (CON|ENQ)-\d+ for "<id returned by \w+>"\./,
        );
      }
    }
    expect(problems).toEqual([]);
    await context.close();
  }, 240_000);
});
