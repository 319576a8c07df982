import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/** Debian's Chromium: `npx playwright install` cannot download here. */
export const CHROMIUM = "/usr/bin/chromium";

/**
 * Whether the browser suites can run. In CI they must: a missing Chromium is a failed set-up,
 * not a skip; elsewhere the run says which suites it did not run.
 */
export function browserMissing(): boolean {
  const missing = !existsSync(CHROMIUM);
  if (missing && process.env.CI === "true")
    throw new Error(`CI=true but ${CHROMIUM} is not installed (apt-get install chromium)`);
  if (missing) process.stderr.write(`Browser suites not run: ${CHROMIUM} is not installed.\n`);
  return missing;
}

/** Headless Chromium with nothing of its own reaching the network (updates, sync, QUIC). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
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
}
