import { cp, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { browserMissing, launchBrowser } from "./browser.ts";
import { startSystem } from "./system.ts";

const ARTIFACTS = fileURLToPath(new URL("../../test-artifacts/governance/", import.meta.url));
const DOCS_SCREENSHOT = fileURLToPath(
  new URL("../../docs/governance-console.png", import.meta.url),
);
const POLICIES = fileURLToPath(new URL("../../policies/", import.meta.url));

// The golden case of expectations.yaml: in ENQ-2001 the health nurse sees the facts of PI-501,
// an incident of S-1003, through police-incident-facts-for-health. The test takes that rule out.
const NARROWED_RULE = "police-incident-facts-for-health";
const INCIDENTS = `query NurseIncidents($id: ID!) {
  subject(id: $id) { id police { incidents { id occurredAt category childPresent } } }
}`;

const BREAK_GLASS_REASON = "Child disclosed an assault tonight; police history needed now";

interface IncidentsAnswer {
  subject?: { police?: { incidents?: { id: string; category: string | null }[] | null } | null };
}

const missingBrowser = browserMissing();

/** Removes one rule (its list item, up to the next rule) from a policy file's text. */
function withoutRule(text: string, id: string): string {
  const start = text.indexOf(`  - id: ${id}\n`);
  if (start === -1) throw new Error(`rule ${id} is not in the policy text`);
  const next = text.indexOf("\n  - id: ", start + 1);
  return text.slice(0, start) + (next === -1 ? "" : text.slice(next + 1));
}

describe.skipIf(missingBrowser)("governance console in a browser", () => {
  let system: Awaited<ReturnType<typeof startSystem>>;
  let browser: Browser;
  let policiesDir: string;

  beforeAll(async () => {
    // Published versions live in the gateway's own store, but a copy keeps the repository's
    // files out of reach of anything this test changes.
    policiesDir = await mkdtemp(join(tmpdir(), "mash-governance-policies-"));
    await cp(POLICIES, policiesDir, { recursive: true });
    system = await startSystem({ subjects: 20, policiesDir });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
    if (policiesDir) await rm(policiesDir, { recursive: true, force: true });
  });

  const nurseIncidents = () =>
    system.query<IncidentsAnswer>(
      INCIDENTS,
      { id: "S-1003" },
      { as: "nurse.evans", enquiry: "ENQ-2001" },
    );

  async function signIn(page: Page, username: string, name: string) {
    await page.getByLabel("Sign in as").selectOption(username);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect
      .poll(() => page.getByTestId("signed-in-as").textContent(), { timeout: 15_000 })
      .toContain(`${name} (${username})`);
  }

  it("an officer narrows a rule; a second reads the diff and impact and publishes; a rollback waits for a second officer; an emergency narrowing is in force at once and reviewed", async () => {
    const before = await nurseIncidents();
    expect(before.status).toBe(200);
    const seen = before.body.data?.subject?.police?.incidents ?? [];
    expect(seen).toContainEqual(expect.objectContaining({ id: "PI-501" }));
    expect(seen.find((incident) => incident.id === "PI-501")?.category).toEqual(expect.any(String));

    const gateway = new URL(system.gatewayUrl);
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    const requested: string[] = [];
    context.on("request", (request) => requested.push(request.url()));
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console error: ${message.text()}`);
    });
    await mkdir(ARTIFACTS, { recursive: true });
    let step = 0;
    const shot = async (name: string, fullPage = false) => {
      step += 1;
      const path = `${ARTIFACTS}${String(step).padStart(2, "0")}-${name}.png`;
      await page.screenshot({ path, fullPage });
      return path;
    };

    // On a failure, the page as it stood: the quickest way to see what the console showed.
    onTestFailed(async () => {
      await page.screenshot({ path: `${ARTIFACTS}failure.png`, fullPage: true }).catch(() => {});
    });

    const response = await page.goto(new URL("/governance", gateway).href, { waitUntil: "load" });
    expect(response?.status()).toBe(200);
    await expect(page.title()).resolves.toBe("MASH governance console");
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await shot("sign-in");

    // 1. ig.police signs in and sees the police matrix.
    await signIn(page, "ig.police", "Police IG Officer");
    await expect(page.getByTestId("signed-in-as").textContent()).resolves.toMatch(/Police/);
    // The token is kept for the tab's session: a reload keeps the officer signed in.
    await page.reload({ waitUntil: "load" });
    await expect
      .poll(() => page.getByTestId("signed-in-as").textContent(), { timeout: 15_000 })
      .toContain("(ig.police)");
    const matrix = page.getByTestId("policy-matrix");
    await matrix.waitFor();
    await expect(matrix.textContent()).resolves.toMatch(/Allowed/);
    await shot("matrix");

    // 2. The rule editor: take the nurse's rule out; the text checks clean.
    await page.getByRole("tab", { name: "Rule editor" }).click();
    const editor = page.getByLabel(/^Policy YAML for /);
    await expect
      .poll(() => editor.inputValue(), { timeout: 15_000 })
      .toContain(`id: ${NARROWED_RULE}`);
    const narrowed = withoutRule(await editor.inputValue(), NARROWED_RULE);
    await editor.fill(narrowed);
    await expect
      .poll(() => page.getByTestId("validation-status").textContent(), { timeout: 15_000 })
      .toBe("No problems found.");
    await shot("edited");

    // 3. The impact: health nurses lose the incident facts in an enquiry.
    await page.getByRole("button", { name: "Show impact" }).click();
    const changes = page.getByTestId("impact-changes");
    await changes.waitFor({ timeout: 15_000 });
    const impactText = (await changes.textContent()) ?? "";
    expect(impactText).toContain("health safeguarding nurse");
    expect(impactText).toContain("Loses access");
    expect(impactText).toMatch(/incidents|PoliceIncident/);
    await changes.scrollIntoViewIfNeeded();
    const impactShot = await shot("impact");

    // 4. Propose with a reason.
    await page
      .getByLabel("Reason for the change (required)")
      .fill(
        "Health nurses get incident facts from the police MASH officer at the strategy meeting.",
      );
    await page.getByRole("button", { name: "Propose", exact: true }).click();
    await expect
      .poll(() => page.getByTestId("editor-status").textContent(), { timeout: 15_000 })
      .toMatch(/Proposed version \d+/);
    const number = Number(
      /Proposed version (\d+)/.exec(
        (await page.getByTestId("editor-status").textContent()) ?? "",
      )?.[1],
    );
    expect(number).toBeGreaterThan(0);
    await shot("proposed");

    // 5. The author cannot approve their own proposal: the button is disabled and says why.
    await page.getByRole("tab", { name: "Proposals and history" }).click();
    const card = page.getByTestId(`version-${number}`);
    await expect.poll(() => card.getAttribute("data-status"), { timeout: 15_000 }).toBe("PROPOSED");
    const ownApprove = card.getByRole("button", { name: `Approve version ${number}` });
    await expect(ownApprove.isDisabled()).resolves.toBe(true);
    await expect(card.getByTestId("own-proposal-explanation").textContent()).resolves.toContain(
      "cannot approve",
    );
    await card.scrollIntoViewIfNeeded();
    await shot("own-proposal");

    // 6. ig.police2 signs in: the inbox says a proposal awaits them and leads to it; the review
    // card shows the diff against the policy in force and the impact; they read the shadow
    // report, approve and publish.
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await signIn(page, "ig.police2", "Police IG Deputy");
    const inbox = page.getByTestId("inbox");
    await expect
      .poll(() => inbox.getByTestId("inbox-summary").textContent(), { timeout: 15_000 })
      .toMatch(/^1 proposal awaiting your review; 0 emergency narrowings awaiting your review/);
    await expect(inbox.getByTestId("inbox-proposals").textContent()).resolves.toContain(
      "proposed by ig.police",
    );
    await shot("inbox");
    // By keyboard: the inbox's link to the version moves focus to its card.
    await inbox.getByRole("button", { name: `Go to version ${number}` }).focus();
    await page.keyboard.press("Enter");
    const review = page.getByTestId(`version-${number}`);
    await review.waitFor({ timeout: 15_000 });
    await expect
      .poll(() => page.locator(":focus").getAttribute("data-testid"))
      .toBe(`version-${number}`);
    await expect(review.getByTestId("awaiting-second-officer").textContent()).resolves.toContain(
      "other than ig.police must approve it",
    );
    const diff = review.getByTestId("version-diff");
    await expect
      .poll(() => diff.textContent(), { timeout: 15_000 })
      .toContain(`removed:   - id: ${NARROWED_RULE}`);
    const diffText = (await diff.textContent()) ?? "";
    expect(diffText).toMatch(/\d+ lines removed, 0 lines added/);
    expect(diffText).not.toContain("added:");
    await expect(review.getByTestId("narrowing-only").textContent()).resolves.toContain(
      "only takes access away",
    );
    const cardImpact = (await review.getByTestId("impact-changes").textContent()) ?? "";
    expect(cardImpact).toContain("health safeguarding nurse");
    expect(cardImpact).toContain("Loses access");
    expect(cardImpact).not.toContain("Gains access");
    // How many people have such records (20 seeded: under the threshold, so only "fewer than"),
    // and the police's own policy test cases the change makes fail.
    await expect(review.getByTestId("impact-subjects").textContent()).resolves.toContain(
      "fewer than 5",
    );
    const cases = (await review.getByTestId("impact-cases").textContent()) ?? "";
    expect(cases).toContain(
      "in an enquiry a health nurse sees the facts of an incident but not its narrative",
    );
    expect(cases).toMatch(/PassesFails/);
    await review.scrollIntoViewIfNeeded();
    await shot("review-card", true);
    await review.getByRole("button", { name: `Shadow report for version ${number}` }).click();
    await expect
      .poll(() => review.getByTestId("shadow-report").textContent(), { timeout: 15_000 })
      .toMatch(/requests observed/);
    await review
      .getByLabel(`Approval comment for version ${number} (optional)`)
      .fill("Agreed at the information governance board.");
    await review.getByRole("button", { name: `Approve version ${number}` }).click();
    await expect
      .poll(() => review.getAttribute("data-status"), { timeout: 15_000 })
      .toBe("APPROVED");
    await review.scrollIntoViewIfNeeded();
    await shot("approved");
    await review.getByRole("button", { name: `Publish version ${number}` }).click();
    await expect
      .poll(() => review.getAttribute("data-status"), { timeout: 15_000 })
      .toBe("PUBLISHED");
    await expect(page.getByTestId("versions-message").textContent()).resolves.toContain(
      `Published version ${number}`,
    );
    await review.scrollIntoViewIfNeeded();
    await shot("published");

    // 7. The nurse's next request, in the same enquiry, no longer gets the incidents.
    await expect
      .poll(
        async () => {
          const after = await nurseIncidents();
          return after.body.data?.subject?.police?.incidents ?? null;
        },
        { timeout: 20_000, interval: 250 },
      )
      .toBeNull();
    const after = await nurseIncidents();
    expect(after.status).toBe(200);
    expect(after.body.errors).toContainEqual(
      expect.objectContaining({
        path: ["subject", "police", "incidents"],
        extensions: expect.objectContaining({ code: "UNAUTHORIZED_FIELD_OR_TYPE" }),
      }),
    );

    // 8. The access log holds the nurse's requests for police data, found by the user filter.
    await page.getByRole("tab", { name: "Access log" }).click();
    await page.getByLabel("Filter by user").fill("nurse.evans");
    await page.getByRole("button", { name: "Apply filters" }).click();
    const log = page.getByTestId("access-log");
    await expect
      .poll(() => log.locator("tbody tr").count(), { timeout: 15_000 })
      .toBeGreaterThanOrEqual(2);
    const logText = (await log.textContent()) ?? "";
    expect(logText).toContain("nurse.evans");
    expect(logText).toContain("ENQ-2001");
    expect(logText).not.toMatch(/sw\.patel|pc\.jones/);
    await shot("access-log");

    // 9. A manager breaks the glass on S-1003: the police are notified, and acknowledge it.
    const glass = await system.query(
      "query Glass($id: ID!) { subject(id: $id) { id police { known } } }",
      { id: "S-1003" },
      { as: "mgr.okafor", enquiry: "ENQ-2001", breakGlass: BREAK_GLASS_REASON },
    );
    expect(glass.status).toBe(200);
    await page.getByRole("tab", { name: "Notifications" }).click();
    const notices = page.getByTestId("notifications");
    await expect
      .poll(() => notices.textContent(), { timeout: 15_000 })
      .toContain(BREAK_GLASS_REASON);
    const acknowledge = notices.getByRole("button", { name: /^Acknowledge notification/ }).first();
    await acknowledge.click();
    await expect
      .poll(() => page.getByTestId("notifications-status").textContent(), { timeout: 15_000 })
      .toMatch(/^Acknowledged notification \d+/);
    await shot("notifications");

    // The matrix now shows the published version.
    await page.getByRole("tab", { name: "Matrix" }).click();
    await page.getByText(`Version ${number}, published`).waitFor({ timeout: 15_000 });
    await shot("matrix-after");

    // 10. Roll back to the text in force before: the nurse sees the incident facts again.
    await page.getByRole("tab", { name: "Proposals and history" }).click();
    const earlier = page.locator('[data-status="SUPERSEDED"]').first();
    await earlier.waitFor({ timeout: 15_000 });
    const earlierNumber = await earlier.getAttribute("data-testid");
    const restored = Number(earlierNumber?.replace("version-", ""));
    await earlier
      .getByLabel(`Reason for rolling back to version ${restored}`)
      .fill("The strategy meeting arrangement is not in place yet; restore the nurse's view.");
    await earlier.getByRole("button", { name: `Roll back to version ${restored}` }).click();
    await expect
      .poll(() => page.getByTestId("versions-message").textContent(), { timeout: 15_000 })
      .toContain(`restores version ${restored} once a second officer approves it`);
    const rollbackNumber = Number(
      /version (\d+) restores/.exec(
        (await page.getByTestId("versions-message").textContent()) ?? "",
      )?.[1],
    );
    const rollback = page.getByTestId(`version-${rollbackNumber}`);
    await expect
      .poll(() => rollback.getAttribute("data-status"), { timeout: 15_000 })
      .toBe("PROPOSED");
    await expect(rollback.getByTestId("awaiting-second-officer").textContent()).resolves.toMatch(
      /This rollback is awaiting a second officer: .* other than you must approve it/,
    );
    await expect(
      rollback.getByRole("button", { name: `Approve version ${rollbackNumber}` }).isDisabled(),
    ).resolves.toBe(true);
    // It gives the nurse the incidents back: not something one officer may publish at once.
    await expect(rollback.getByTestId("widening").first().textContent()).resolves.toContain(
      "health_safeguarding_nurse gains",
    );
    await rollback.scrollIntoViewIfNeeded();
    await shot("rollback-awaiting-second-officer");
    // Nothing changed yet: the nurse still gets no incidents.
    expect((await nurseIncidents()).body.data?.subject?.police?.incidents ?? null).toBeNull();

    // The first officer is told, approves the rollback and publishes it.
    await page.getByRole("button", { name: "Sign out" }).click();
    await signIn(page, "ig.police", "Police IG Officer");
    await expect
      .poll(() => page.getByTestId("inbox-summary").textContent(), { timeout: 15_000 })
      .toMatch(/^1 proposal awaiting your review/);
    await page.getByRole("button", { name: `Go to version ${rollbackNumber}` }).click();
    const approveRollback = page.getByTestId(`version-${rollbackNumber}`);
    await expect
      .poll(() => approveRollback.getByTestId("version-diff").textContent(), { timeout: 15_000 })
      .toContain(`added:   - id: ${NARROWED_RULE}`);
    await approveRollback
      .getByRole("button", { name: `Approve version ${rollbackNumber}` })
      .click();
    await expect
      .poll(() => approveRollback.getAttribute("data-status"), { timeout: 15_000 })
      .toBe("APPROVED");
    await approveRollback
      .getByRole("button", { name: `Publish version ${rollbackNumber}` })
      .click();
    await expect
      .poll(() => approveRollback.getAttribute("data-status"), { timeout: 15_000 })
      .toBe("PUBLISHED");
    await shot("rolled-back");
    await expect
      .poll(
        async () =>
          (await nurseIncidents()).body.data?.subject?.police?.incidents?.some(
            (incident) => incident.id === "PI-501" && typeof incident.category === "string",
          ) ?? false,
        { timeout: 20_000, interval: 250 },
      )
      .toBe(true);

    // 11. An incident: ig.police takes the nurse's rule out again and, since that only takes
    // access away, publishes it at once as an emergency narrowing. The nurse loses it at once.
    await page.getByRole("tab", { name: "Rule editor" }).click();
    await page.getByRole("button", { name: "Start again from the policy in force" }).click();
    await expect
      .poll(() => editor.inputValue(), { timeout: 15_000 })
      .toContain(`id: ${NARROWED_RULE}`);
    await editor.fill(withoutRule(await editor.inputValue(), NARROWED_RULE));
    await expect
      .poll(() => page.getByTestId("validation-status").textContent(), { timeout: 15_000 })
      .toBe("No problems found.");
    await page
      .getByLabel("Why this cannot wait for a second officer")
      .fill("Incident 4471: a nurse shared incident facts outside the strategy meeting.");
    await page.getByRole("button", { name: "Publish now as an emergency narrowing" }).click();
    await expect
      .poll(() => page.getByTestId("editor-status").textContent(), { timeout: 15_000 })
      .toMatch(/Published version \d+ at once as an emergency narrowing/);
    const emergencyNumber = Number(
      /Published version (\d+)/.exec(
        (await page.getByTestId("editor-status").textContent()) ?? "",
      )?.[1],
    );
    await shot("emergency-narrowing");
    await expect
      .poll(async () => (await nurseIncidents()).body.data?.subject?.police?.incidents ?? null, {
        timeout: 20_000,
        interval: 250,
      })
      .toBeNull();

    // 12. ig.police2's inbox flags it; they review it and the flag clears.
    await page.getByRole("button", { name: "Sign out" }).click();
    await signIn(page, "ig.police2", "Police IG Deputy");
    await expect
      .poll(() => page.getByTestId("inbox-summary").textContent(), { timeout: 15_000 })
      .toContain("1 emergency narrowing awaiting your review");
    await expect(page.getByTestId("inbox-narrowings").textContent()).resolves.toContain(
      "published at once by ig.police: Incident 4471",
    );
    await page.getByRole("button", { name: `Go to version ${emergencyNumber}` }).click();
    const flagged = page.getByTestId(`version-${emergencyNumber}`);
    await expect
      .poll(() => flagged.getAttribute("data-emergency"), { timeout: 15_000 })
      .toBe("flagged");
    await flagged
      .getByLabel(`Review comment for version ${emergencyNumber}`)
      .fill("Right call; the board confirms it on Monday.");
    await flagged.getByRole("button", { name: `Mark version ${emergencyNumber} reviewed` }).click();
    await expect
      .poll(() => flagged.getAttribute("data-emergency"), { timeout: 15_000 })
      .toBe("reviewed");
    await expect
      .poll(() => page.getByTestId("inbox-summary").textContent(), { timeout: 15_000 })
      .toContain("0 emergency narrowings awaiting your review");
    await flagged.scrollIntoViewIfNeeded();
    await shot("narrowing-reviewed");

    // 13. A draft its author no longer wants is discarded, and leaves the list.
    await page.getByRole("tab", { name: "Rule editor" }).click();
    await page.getByLabel("Draft note (optional)").fill("an idea, not for now");
    await editor.fill(`${await editor.inputValue()}\n# an idea\n`);
    await page.getByRole("button", { name: "Save draft" }).click();
    await expect
      .poll(() => page.getByTestId("editor-status").textContent(), { timeout: 15_000 })
      .toMatch(/Saved as draft version \d+/);
    const draftNumber = Number(
      /draft version (\d+)/.exec(
        (await page.getByTestId("editor-status").textContent()) ?? "",
      )?.[1],
    );
    await page.getByRole("tab", { name: "Proposals and history" }).click();
    const draftCard = page.getByTestId(`version-${draftNumber}`);
    await draftCard.getByRole("button", { name: `Discard draft version ${draftNumber}` }).click();
    await draftCard.getByRole("button", { name: `Yes, discard version ${draftNumber}` }).click();
    await expect
      .poll(() => page.getByTestId("versions-message").textContent(), { timeout: 15_000 })
      .toBe(`Discarded draft version ${draftNumber}.`);
    await expect.poll(() => draftCard.count(), { timeout: 15_000 }).toBe(0);

    // The README's picture: the impact of the change, as the proposing officer saw it. Only on
    // request, so that running the suite leaves the work tree as it was.
    if (process.env.MASH_UPDATE_DOCS === "1") {
      await mkdir(dirname(DOCS_SCREENSHOT), { recursive: true });
      await cp(impactShot, DOCS_SCREENSHOT);
    }

    // Councils run air-gapped: anything but the gateway's own origin would be a CDN or a leak.
    const foreign = requested.filter((url) => {
      const { protocol, host } = new URL(url);
      return protocol !== "data:" && protocol !== "blob:" && host !== gateway.host;
    });
    expect(foreign).toEqual([]);
    expect(requested.some((url) => url.includes("/governance/governance.js"))).toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  }, 360_000);
});
