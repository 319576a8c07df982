import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
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
    const height = 3400;
    await page.setViewportSize({ width: 1440, height });
    for (const shown of ["health-mental-health-service", '"Amelia"', "Larch Medical Centre"]) {
      const line = page.locator(".graphiql-response .CodeMirror-line", { hasText: shown }).first();
      await expect
        .poll(async () => (await line.boundingBox())?.y ?? height, { timeout: 10_000 })
        .toBeLessThan(height - 30);
    }

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
});
