import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSystem } from "./system.ts";

const CHROMIUM = "/usr/bin/chromium";
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

// Chromium comes from Debian's package; without it there is nothing to drive.
// In CI the browser suite must run: a missing Chromium is a failed set-up, not a skip.
const missingBrowser = !existsSync(CHROMIUM);
if (missingBrowser && process.env.CI === "true") {
  throw new Error(`CI=true but ${CHROMIUM} is not installed (apt-get install chromium)`);
}
if (missingBrowser) process.stderr.write(`Browser suites not run: ${CHROMIUM} is not installed.\n`);

describe.skipIf(missingBrowser)("GraphiQL console in a browser", () => {
  let system: Awaited<ReturnType<typeof startSystem>>;
  let browser: Browser;

  beforeAll(async () => {
    system = await startSystem({ subjects: 20 });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  it("runs SubjectOverview from its tab without touching any other host", async () => {
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
    await page.getByText("Development build: authorization is not enforced yet").waitFor();

    const tab = page.locator(".graphiql-tab-button", { hasText: /^SubjectOverview$/ });
    await tab.waitFor();
    await tab.click();
    await page.locator(".graphiql-query-editor", { hasText: "query SubjectOverview" }).waitFor();
    await page.getByRole("button", { name: "Headers" }).click();
    await page
      .locator(".graphiql-editor-tool", { hasText: '"X-MASH-Enquiry": "ENQ-2001"' })
      .waitFor();
    await page.getByRole("button", { name: "Variables" }).click();

    await page.getByRole("button", { name: /Execute query/ }).click();
    await expect
      .poll(() => responseText(page), { timeout: 30_000 })
      .toContain("Larch Medical Centre");
    const result = JSON.parse(await responseText(page)) as {
      data?: { subject?: { name?: { given?: string } } };
    };
    expect(result.data?.subject?.name?.given).toBe("Amelia");
    await expect(page.locator(".graphiql-response").textContent()).resolves.toContain("Amelia");

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
