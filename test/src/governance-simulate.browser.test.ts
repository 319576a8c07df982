import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { browserMissing, launchBrowser } from "./browser.ts";
import { startSystem } from "./system.ts";

const ARTIFACTS = fileURLToPath(
  new URL("../../test-artifacts/governance-simulate/", import.meta.url),
);
const EXAMPLE =
  "handling code C intelligence is left out of a social worker's list, as if it did not exist";

const missingBrowser = browserMissing();

describe.skipIf(missingBrowser)("the simulate form in a browser", () => {
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

  it("an officer starts from a policy test's example, by keyboard, and reads each field's verdict", async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    await mkdir(ARTIFACTS, { recursive: true });
    onTestFailed(async () => {
      await page.screenshot({ path: `${ARTIFACTS}failure.png`, fullPage: true }).catch(() => {});
    });
    const sent: string[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST") sent.push(request.postData() ?? "");
    });

    await page.goto(new URL("/governance", system.gatewayUrl).href, { waitUntil: "load" });
    await page.getByLabel("Sign in as").selectOption("ig.police");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.getByRole("tab", { name: "Rule editor" }).click();

    const card = page.getByRole("region", { name: "Simulate" });
    await card.getByLabel("Record type").selectOption("Intelligence", { timeout: 15_000 });
    await card.getByLabel("Start from an example").selectOption({ label: EXAMPLE });
    // The example fills the role, the purpose and the record's values.
    await expect(card.getByLabel("Role").inputValue()).resolves.toBe("social_worker");
    await expect(card.getByLabel("In an enquiry").isChecked()).resolves.toBe(true);
    await expect(card.getByLabel("handlingCode").inputValue()).resolves.toBe("C");
    // Every control is named for a screen reader.
    const unnamed = await card.locator("input, select").evaluateAll(
      // Run in the page: `labels` is the DOM's, which this package's types do not include.
      (controls) =>
        controls.filter(
          (c) => (c as unknown as { labels?: { length: number } }).labels?.length === 0,
        ).length,
    );
    expect(unnamed).toBe(0);

    // Submitted from the keyboard.
    await card.getByRole("button", { name: "Simulate" }).focus();
    await page.keyboard.press("Enter");
    const status = card.getByTestId("simulation-status");
    await expect
      .poll(() => status.textContent(), { timeout: 15_000 })
      .toContain("Left out of any list, as if it did not exist (police-intelligence-handling-c)");
    const table = card.getByTestId("simulation");
    const summary = table.getByRole("row", { name: /Intelligence\.summary/ });
    await expect(summary.textContent()).resolves.toMatch(
      /Withheld.*police-intelligence-handling-c \(the requester is told default-deny\)/,
    );
    await expect(
      table.getByRole("row", { name: /Intelligence\.id/ }).textContent(),
    ).resolves.toMatch(/Visible/);
    await page.screenshot({ path: `${ARTIFACTS}simulation.png`, fullPage: true });

    // What went to the gateway named no person: only the officer's own values.
    const simulations = sent.filter((body) => body.includes("GovernanceSimulate"));
    expect(simulations.length).toBeGreaterThan(0);
    for (const body of simulations) expect(body).not.toMatch(/S-\d{4}|subjectId/);
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);
});
