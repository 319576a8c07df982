import { existsSync } from "node:fs";
import { copyFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_WORKSPACE_OUT_DIR } from "../../gateway/web/build/workspace-build.ts";
import { browserMissing, launchBrowser } from "./browser.ts";
import { startSystem } from "./system.ts";

const ARTIFACTS = fileURLToPath(new URL("../../test-artifacts/", import.meta.url));
const DOCS = fileURLToPath(new URL("../../docs/", import.meta.url));

/**
 * A viewport's screenshot into test-artifacts/, and into docs/ (the README's pictures) when
 * MASH_DOCS_SCREENSHOTS=1: its times change on every run, so an ordinary run leaves docs/ alone.
 */
async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${ARTIFACTS}${name}` });
  if (process.env.MASH_DOCS_SCREENSHOTS === "1")
    await copyFile(`${ARTIFACTS}${name}`, `${DOCS}${name}`);
}

interface SentRequest {
  readonly url: URL;
  readonly method: string;
  readonly authorization: string | undefined;
}

/**
 * What the workspace may ask its gateway for besides the graph: its own page and assets, and how
 * to sign in (the development picker and token, or the identity provider's settings).
 */
const NOT_DATA = /^\/(workspace(\/workspace\.(js|css))?|auth\/config|dev\/users|dev\/token)$/;

/** A fresh context on the workspace, recording every URL it asks for and every page error. */
async function openWorkspace(browser: Browser, url: string, height = 900) {
  const context: BrowserContext = await browser.newContext({
    viewport: { width: 1280, height },
  });
  const requested: string[] = [];
  const sent: SentRequest[] = [];
  context.on("request", (request) => {
    requested.push(request.url());
    sent.push({
      url: new URL(request.url()),
      method: request.method(),
      authorization: request.headers().authorization,
    });
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    // A refused mutation is an HTTP 200; a 400 the page shows is expected, not a fault.
    if (message.type() === "error" && !/status of 400/.test(message.text()))
      problems.push(`console error: ${message.text()}`);
  });
  const response = await page.goto(`${url}/workspace`, { waitUntil: "load" });
  return { context, page, requested, sent, problems, response };
}

async function signInAs(page: Page, username: string) {
  await page.getByLabel("Sign in as").selectOption(username);
  await page
    .getByText(new RegExp(`^Signed in as .+ \\(${username.replace(".", "\\.")}\\)`))
    .waitFor();
}

/** One attribute of every element a locator finds, in page order. */
async function attributeOfAll(locator: Locator, name: string): Promise<(string | null)[]> {
  return Promise.all((await locator.all()).map((element) => element.getAttribute(name)));
}

/** The row of the inbox table that holds an enquiry. */
const inboxRow = (page: Page, id: string) => page.locator(`tr[data-enquiry="${id}"]`);

/**
 * The gateway serves gateway/web/dist/workspace, built by npm test's pre-build. Building it here would
 * rewrite it under the gateways of suites running in parallel, so only check it is there.
 */
function requireBuiltWorkspace(): void {
  const script = join(DEFAULT_WORKSPACE_OUT_DIR, "workspace.js");
  if (!existsSync(script)) {
    throw new Error(`${script} is missing: run npm run build -w gateway/web before this suite.`);
  }
}

const missingBrowser = browserMissing();

describe.skipIf(missingBrowser)("the practitioners' workspace in a browser", () => {
  let system: Awaited<ReturnType<typeof startSystem>>;
  let browser: Browser;

  /** The gateway's origin: it serves the workspace at /workspace beside /graphql. */
  let origin: string;

  beforeAll(async () => {
    await requireBuiltWorkspace();
    system = await startSystem({ subjects: 20 });
    origin = new URL(system.gatewayUrl).origin;
    browser = await launchBrowser();
    await mkdir(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  it("takes sw.patel from the inbox to Amelia's health card and records a sharing decision", async () => {
    const opened = await openWorkspace(browser, origin);
    const { context, page, requested, problems, response } = opened;
    expect(response?.status()).toBe(200);
    expect(response?.headers()["content-security-policy"]).toContain("script-src 'self'");
    await expect(page.title()).resolves.toBe("MASH workspace");
    await signInAs(page, "sw.patel");

    // The inbox: most urgent first, the rating and the time left in words.
    await page.getByRole("heading", { name: "Inbox for Children's social care" }).waitFor();
    const enquiries = page.locator("section", {
      has: page.getByRole("heading", { name: "Enquiries my agency takes part in" }),
    });
    await inboxRow(page, "ENQ-2001").waitFor();
    const first = inboxRow(page, "ENQ-2001");
    await expect(first.textContent()).resolves.toMatch(/RED/);
    await expect(first.textContent()).resolves.toMatch(/overdue by \d+ (min|h|d)/);
    const order = await attributeOfAll(enquiries.locator("tr[data-enquiry]"), "data-enquiry");
    expect(order.indexOf("ENQ-2001")).toBeGreaterThanOrEqual(0);
    expect(order.indexOf("ENQ-2001")).toBeLessThan(order.indexOf("ENQ-2002"));
    // Children's social care does not take part in the adult-led ENQ-2003.
    expect(order).not.toContain("ENQ-2003");

    // The enquiry: its people and household.
    await first.getByRole("link", { name: "ENQ-2001" }).click();
    await page.getByRole("heading", { level: 1, name: "Enquiry ENQ-2001" }).waitFor();
    const people = page.locator("section", { has: page.getByRole("heading", { name: "People" }) });
    await people.getByRole("link", { name: "Amelia Doe" }).first().waitFor();
    const amelia = people.locator("li.ws-card", {
      has: page.getByRole("heading", { name: "Amelia Doe" }),
    });
    await expect(amelia.getByRole("link", { name: "Jade Doe" }).count()).resolves.toBe(1);
    await expect(amelia.getByRole("link", { name: "Ryan Carter" }).count()).resolves.toBe(1);
    const part = page.locator('tr[data-agency="police"]');
    await expect(part.textContent()).resolves.toMatch(/Asked/);

    // A refusal shows the graph's own words: a blank reason names the argument.
    const form = page.getByRole("form", { name: /sharing decision/ });
    await form.getByLabel("Decision (required)", { exact: true }).selectOption("SHARE");
    await form.getByLabel(/Reason for the decision/).fill("   ");
    await form.getByRole("button", { name: "Record sharing decision" }).click();
    const refusal = form.getByRole("alert");
    await refusal.waitFor();
    await expect(refusal.textContent()).resolves.toMatch(/Not recorded:.*reason/is);

    // Recorded through the form, and listed in the agency's part.
    const reason = "Relevant to Amelia's safety at home";
    await form.getByLabel(/Reason for the decision/).fill(reason);
    await form.getByRole("button", { name: "Record sharing decision" }).click();
    await form.getByText("Sharing decision recorded.").waitFor();
    await page
      .locator('tr[data-agency="childrens-services"]', { hasText: `share: ${reason}` })
      .waitFor();
    const recorded = await system.query<{
      enquiry: { sharingDecisions: { agency: string; reason: string }[] };
    }>(
      "query($id: ID!) { enquiry(id: $id) { sharingDecisions { agency reason } } }",
      { id: "ENQ-2001" },
      { as: "sw.patel" },
    );
    expect(recorded.body.data?.enquiry.sharingDecisions).toContainEqual({
      agency: "childrens-services",
      reason,
    });

    // The person: the health card shares the GP and shows the withheld service with its reason.
    const sent = page.waitForRequest((request) =>
      (request.postData() ?? "").includes('"operationName":"WorkspacePerson"'),
    );
    await people.getByRole("link", { name: "Amelia Doe" }).first().click();
    const headers = (await sent).headers();
    expect(headers["x-mash-enquiry"]).toBe("ENQ-2001");
    expect(headers.authorization).toMatch(/^Bearer /);
    expect(headers["x-mash-break-glass"]).toBeUndefined();
    await page.getByRole("heading", { level: 1, name: "Amelia Doe" }).waitFor();
    const health = page.getByRole("region", { name: "Health" });
    await health.getByText("Larch Medical Centre").waitFor();
    await expect(health.getByText("Known to Health").count()).resolves.toBe(1);
    const badge = health.locator("li.ws-withheld", { hasText: "mentalHealth › service" });
    await expect(badge.textContent()).resolves.toMatch(/Withheld.*by Health: \S.{10,}/);
    await page.getByRole("heading", { name: "Chronology" }).waitFor();
    await page.screenshot({ path: `${ARTIFACTS}workspace.png`, fullPage: true });

    // Councils run air-gapped: nothing but the gateway's own origin.
    const gateway = new URL(origin);
    const foreign = requested.filter((url) => {
      const { protocol, host } = new URL(url);
      return protocol !== "data:" && protocol !== "blob:" && host !== gateway.host;
    });
    expect(foreign).toEqual([]);
    expect(requested.some((url) => url.includes("/workspace/workspace.js"))).toBe(true);
    // Its only data requests are GraphQL requests to /graphql, each with the user's token.
    const data = opened.sent.filter((r) => !NOT_DATA.test(r.url.pathname));
    expect(data.length).toBeGreaterThan(3);
    const token = data[0]?.authorization;
    expect(token).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    expect(
      data.filter(
        (r) => r.url.pathname !== "/graphql" || r.method !== "POST" || r.authorization !== token,
      ),
    ).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("merges the chronology across agencies and filters it by agency", async () => {
    const { context, page } = await openWorkspace(browser, origin);
    await signInAs(page, "sw.patel");
    await page.goto(`${origin}/workspace#/enquiry/ENQ-2001/person/S-1003`);
    const chronology = page.locator("section", {
      has: page.getByRole("heading", { name: "Chronology" }),
    });
    await chronology.locator('li[data-agency="police"]').first().waitFor();
    const agencies = await attributeOfAll(chronology.locator("ol li"), "data-agency");
    expect(new Set(agencies).size).toBeGreaterThan(1);
    await chronology.getByLabel("Police").check();
    await expect
      .poll(() => attributeOfAll(chronology.locator("ol li"), "data-agency"))
      .toEqual(agencies.filter((agency) => agency === "police"));
    await context.close();
  });

  it("is usable from the keyboard: Tab to an enquiry in the inbox, Enter opens it", async () => {
    const { context, page } = await openWorkspace(browser, origin);
    await signInAs(page, "sw.patel");
    await inboxRow(page, "ENQ-2001").waitFor();
    let focused = "";
    for (let presses = 0; presses < 30 && focused !== "ENQ-2001"; presses++) {
      await page.keyboard.press("Tab");
      focused = await page.evaluate(() => {
        const active = (
          globalThis as unknown as {
            document: { activeElement: { textContent: string | null } | null };
          }
        ).document.activeElement;
        return active?.textContent ?? "";
      });
    }
    expect(focused).toBe("ENQ-2001");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { level: 1, name: "Enquiry ENQ-2001" }).waitFor();
    // The new page's heading has the focus, so a screen reader starts there.
    await expect
      .poll(() =>
        page.evaluate(
          () =>
            (
              globalThis as unknown as {
                document: { activeElement: { textContent: string | null } | null };
              }
            ).document.activeElement?.textContent,
        ),
      )
      .toBe("Enquiry ENQ-2001");
    await context.close();
  });

  it("refuses sw.patel's break glass with the gateway's message, and shows no break-glass view", async () => {
    const { context, page } = await openWorkspace(browser, origin);
    await signInAs(page, "sw.patel");
    await page.goto(`${origin}/workspace#/enquiry/ENQ-2001/person/S-1001`);
    await page.getByRole("heading", { level: 1, name: "Amelia Doe" }).waitFor();
    await page.getByRole("button", { name: /Break glass for Amelia Doe/ }).click();
    const reason = page.getByLabel(/Reason \(required, at least 20 characters\)/);
    await reason.fill("too short");
    const view = page.getByRole("button", { name: "View once with break glass" });
    await expect(view.isDisabled()).resolves.toBe(true);
    // Typed over two lines with a curly apostrophe: the kit makes it a value a header can carry.
    const text = "Immediate risk of harm\nreported by the school’s DSL today";
    await reason.fill(text);
    const sent = page.waitForRequest((request) =>
      (request.postData() ?? "").includes('"operationName":"WorkspacePerson"'),
    );
    await view.click();
    expect((await sent).headers()["x-mash-break-glass"]).toBe(
      "Immediate risk of harm reported by the school's DSL today",
    );
    // A social worker may not break glass (policies/roles.yaml): the gateway's refusal is shown.
    const refusal = page.getByRole("alert").filter({ hasText: "Break glass refused" });
    await refusal.waitFor();
    await expect(refusal.textContent()).resolves.toMatch(/None of your roles may break the glass/);
    await expect(page.getByText("Break glass view.").count()).resolves.toBe(0);
    await page.getByRole("button", { name: /Break glass for Amelia Doe/ }).waitFor();
    // Nothing lingers: back on the person after visiting the enquiry, no reason is sent.
    await page.getByRole("link", { name: "Back to enquiry ENQ-2001" }).click();
    const next = page.waitForRequest((request) =>
      (request.postData() ?? "").includes('"operationName":"WorkspacePerson"'),
    );
    await page.getByRole("link", { name: "Amelia Doe" }).first().click();
    expect((await next).headers()["x-mash-break-glass"]).toBeUndefined();

    // Switching user drops the enquiry and any reason being typed: the next person starts afresh.
    await page.getByRole("heading", { level: 1, name: "Amelia Doe" }).waitFor();
    await page.getByRole("button", { name: /Break glass for Amelia Doe/ }).click();
    await page.getByLabel(/Reason \(required/).fill(text);
    await signInAs(page, "nurse.evans");
    await page.getByRole("heading", { level: 1, name: "Inbox for Health" }).waitFor();
    expect(new URL(page.url()).hash).toBe("#/");
    await expect(page.getByLabel(/Reason \(required/).count()).resolves.toBe(0);
    await context.close();
  });

  it("shows mgr.okafor a sealed address only in the break-glass answer, and drops a late one", async () => {
    const { context, page } = await openWorkspace(browser, origin);
    await signInAs(page, "mgr.okafor");
    await page.goto(`${origin}/workspace#/enquiry/ENQ-2002/person/S-1005`);
    await page.getByRole("heading", { level: 1, name: "Noah Price" }).waitFor();
    const address = page.locator("dt:text-is('Address') + dd");
    // Sealed (an adopted child): the address is withheld from everyone without break glass.
    await expect(address.textContent()).resolves.toBe("withheld or not recorded");
    const reason = "Birth family approached the school; need the address to plan a visit";
    const breakGlass = async () => {
      await page.getByRole("button", { name: /Break glass for Noah Price/ }).click();
      await page.getByLabel(/Reason \(required/).fill(reason);
      await page.getByRole("button", { name: "View once with break glass" }).click();
    };

    // A break-glass answer that arrives after the person went back to the normal view is dropped.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let answered: () => void = () => undefined;
    const passedOn = new Promise<void>((resolve) => {
      answered = resolve;
    });
    await page.route("**/graphql", async (route) => {
      if (!route.request().headers()["x-mash-break-glass"]) return route.continue();
      await held;
      // The page has aborted it by now; the gateway would still answer a client that had not.
      await route.continue().catch(() => undefined);
      answered();
    });
    await breakGlass();
    await page.getByRole("button", { name: "Cancel and keep the normal view" }).click();
    release();
    await passedOn;
    await page.waitForTimeout(300);
    await expect(page.getByText("Break glass view.").count()).resolves.toBe(0);
    await expect(address.textContent()).resolves.toBe("withheld or not recorded");
    await page.unroute("**/graphql");

    // Broken for one answer: the banner and the sealed address, then back to the normal view.
    await breakGlass();
    await page.getByText("Break glass view.").waitFor();
    await expect(address.textContent()).resolves.toBe("9 Orchard Way, PR3 2CD");
    await page.getByRole("button", { name: "Return to the normal view" }).click();
    await expect(address.textContent()).resolves.toBe("withheld or not recorded");
    await context.close();
  });

  it("shows pc.jones the research waiting for the police, and takes the answer through the form", async () => {
    const { context, page } = await openWorkspace(browser, origin);
    await signInAs(page, "pc.jones");
    const waiting = page.locator("section", {
      has: page.getByRole("heading", { name: "Research requests waiting for my agency" }),
    });
    await waiting.locator('tr[data-enquiry="ENQ-2002"]').waitFor();
    await expect(waiting.locator('tr[data-enquiry="ENQ-2002"]').textContent()).resolves.toMatch(
      /AMBER.*overdue by \d+ (min|h|d) \(research for my agency\)/,
    );
    await waiting.getByRole("link", { name: "ENQ-2002" }).click();
    const form = page.getByRole("form", { name: /Answer the research request/ });
    // Neither a finding nor "nothing known": the graph refuses, in its own words.
    await form.getByLabel("Sharing decision (required)").selectOption("SHARE");
    await form.getByLabel(/Reason for the decision/).fill("Relevant to the child's safety");
    await form.getByRole("button", { name: "Record research answer" }).click();
    await form.getByRole("alert").waitFor();
    await expect(form.getByRole("alert").textContent()).resolves.toMatch(/finding/i);
    await form.getByLabel("My agency holds nothing relevant").check();
    await form.getByRole("button", { name: "Record research answer" }).click();
    await form.getByText("Research answer recorded.").waitFor();
    await page.locator('tr[data-agency="police"]', { hasText: "Nothing known" }).waitFor();
    // Answered: it leaves the waiting list for the list of enquiries the police take part in.
    await page.getByRole("link", { name: "Back to the inbox" }).click();
    await page.locator('tr[data-enquiry="ENQ-2001"]').first().waitFor();
    await expect(waiting.locator('tr[data-enquiry="ENQ-2002"]').count()).resolves.toBe(0);
    await context.close();
  });

  it("lets the manager decide, refusing an outcome that fits no one in the enquiry", async () => {
    const { context, page } = await openWorkspace(browser, origin);
    await signInAs(page, "mgr.okafor");
    await page.goto(`${origin}/workspace#/enquiry/ENQ-2002`);
    const form = page.getByRole("form", { name: "Decide the enquiry" });
    await form.getByLabel("Outcome (required)").selectOption("SECTION_42_ENQUIRY");
    await form.getByLabel(/Reasons for the decision/).fill("Threshold met after research");
    await form.getByRole("button", { name: "Record decision and close" }).click();
    await form.getByRole("alert").waitFor();
    await expect(form.getByRole("alert").textContent()).resolves.toMatch(
      /Not recorded:.*SECTION_42_ENQUIRY is for an adult/,
    );
    await form.getByLabel("Outcome (required)").selectOption("EARLY_HELP");
    await form.getByRole("button", { name: "Record decision and close" }).click();
    await page.getByText(/^Decided early help by mgr\.okafor/).waitFor();
    // Closed: deciding is done; an agency that took part may now disagree.
    await page.getByRole("form", { name: "Disagree with the decision" }).waitFor();
    await context.close();
  });

  it("takes a RED enquiry from the inbox to the decision: four practitioners of three agencies, through the forms", async () => {
    // The front door's intake, which the workspace has no form for: two contacts about Leo in the
    // last 12 months (a repeat) and a RED enquiry sw.patel opens from the second.
    const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
    const recordContact = async (
      as: string,
      referrer: Record<string, string>,
      days: number,
      concern: string,
    ) => {
      const recorded = await system.query<{ recordContact: { id: string } }>(
        "mutation($input: RecordContactInput!) { recordContact(input: $input) { id } }",
        {
          input: {
            referrer: { kind: "AGENCY", ...referrer },
            receivedAt: daysAgo(days),
            concern,
            consentSought: false,
            consentReason: "Seeking consent could place the child at risk of harm",
            subjectIds: ["S-1007"],
          },
        },
        { as },
      );
      const id = recorded.body.data?.recordContact.id;
      if (!id) throw new Error(`recordContact: ${JSON.stringify(recorded.body.errors)}`);
      return id;
    };
    await recordContact(
      "dsl.murphy",
      { agency: "Brook Academy", name: "Sean Murphy", role: "Designated safeguarding lead" },
      70,
      "Leo missing afternoon lessons; seen collected by older males in a car",
    );
    const nightContact = await recordContact(
      "pc.jones",
      { agency: "Police", name: "PC Sam Jones", role: "Response officer" },
      0.1,
      "Leo found at 02:00 in a car with two adult men",
    );
    const opened = await system.query<{ openEnquiry: { id: string } }>(
      "mutation($input: OpenEnquiryInput!) { openEnquiry(input: $input) { id } }",
      {
        input: {
          reason: "Leo found at night with adult men after missing school: risk of exploitation",
          rag: "RED",
          contactIds: [nightContact],
        },
      },
      { as: "sw.patel" },
    );
    const id = opened.body.data?.openEnquiry.id;
    if (!id) throw new Error(`openEnquiry: ${JSON.stringify(opened.body.errors)}`);
    const row = (page: Page) => page.locator(`tr[data-enquiry="${id}"]`);
    const form = (page: Page, name: string | RegExp) => page.getByRole("form", { name });

    const { context, page, problems } = await openWorkspace(browser, origin, 800);
    const inboxQueries: string[] = [];
    page.on("request", (request) => {
      if ((request.postData() ?? "").includes('"operationName":"WorkspaceInbox"'))
        inboxQueries.push(request.headers()["x-mash-enquiry"] ?? "no purpose");
    });

    // 1. The social worker at the front door: the RED enquiry in her inbox, Leo's repeat count
    // beside his name, from one inbox request with no purpose (the count is the front door's).
    await signInAs(page, "sw.patel");
    await row(page).waitFor();
    await expect(row(page).textContent()).resolves.toMatch(/RED.*due in \d+ (min|h)/);
    await expect(row(page).textContent()).resolves.toMatch(
      /Leo Turner: 2 contacts in the last 12 months \(repeat contacts\)/,
    );
    // 0 is the graph's figure for Amelia, whom no contact is recorded about: shown as 0.
    await expect(inboxRow(page, "ENQ-2001").textContent()).resolves.toMatch(
      /Amelia Doe: no contacts in the last 12 months/,
    );
    expect(inboxQueries).toEqual(["no purpose"]);
    await screenshot(page, "workspace-inbox.png");

    // She triages: asks police, health and education to research.
    await row(page).getByRole("link", { name: id }).click();
    await page.getByRole("heading", { level: 1, name: `Enquiry ${id}` }).waitFor();
    const leo = page.locator('li.ws-card[data-subject="S-1007"]');
    await expect(leo.textContent()).resolves.toMatch(/2 contacts in the last 12 months/);
    const ask = form(page, "Ask agencies to research");
    for (const agency of ["Police", "Health", "Education"]) await ask.getByLabel(agency).check();
    await ask.getByRole("button", { name: "Ask" }).click();
    await page.locator('tr[data-agency="education"]', { hasText: "Asked" }).waitFor();

    // 2. The police officer: the request waits for the police; Leo's count is withheld from his
    // role, said once with its reason, never a 0; no lead's form for him (not his to use).
    await signInAs(page, "pc.jones");
    const waiting = page.locator("section", {
      has: page.getByRole("heading", { name: "Research requests waiting for my agency" }),
    });
    await waiting.locator(`tr[data-enquiry="${id}"]`).waitFor();
    await expect(waiting.locator(`tr[data-enquiry="${id}"]`).textContent()).resolves.toMatch(
      /Leo Turner: contacts in the last 12 months: Withheld/,
    );
    const listed = page.locator("li.ws-withheld", { hasText: "recentContacts" });
    await expect(listed.count()).resolves.toBe(1);
    await expect(listed.textContent()).resolves.toMatch(/social_worker, mash_manager/);
    await waiting.getByRole("link", { name: id }).click();
    const answer = form(page, /Answer the research request/);
    await answer.waitFor();
    await expect(form(page, "Release an agency from this enquiry").count()).resolves.toBe(0);
    await expect(form(page, "Decide the enquiry").count()).resolves.toBe(0);
    await answer
      .getByLabel("What my agency found that is relevant")
      .fill("The car is registered to a man under investigation for child exploitation");
    await answer.getByLabel("Sharing decision (required)").selectOption("SHARE_WITH_CONDITIONS");
    await answer
      .getByLabel(/Reason for the decision/)
      .fill("For the strategy discussion only: an investigation is live");
    await answer.getByRole("button", { name: "Record research answer" }).click();
    await answer.getByText("Research answer recorded.").waitFor();

    // 3. The health nurse answers, then amends her agency's sharing decision.
    await signInAs(page, "nurse.evans");
    await page.locator(`tr[data-enquiry="${id}"]`).getByRole("link", { name: id }).click();
    const healthAnswer = form(page, /Answer the research request/);
    await healthAnswer
      .getByLabel("What my agency found that is relevant")
      .fill("Registered at Brook Street Practice; no attendances in the last year");
    await healthAnswer.getByLabel("Sharing decision (required)").selectOption("SHARE");
    await healthAnswer.getByLabel(/Reason for the decision/).fill("Relevant to Leo's safety");
    await healthAnswer.getByRole("button", { name: "Record research answer" }).click();
    await healthAnswer.getByText("Research answer recorded.").waitFor();
    const sharing = form(page, /sharing decision$/);
    await sharing
      .getByLabel("Decision (required)", { exact: true })
      .selectOption("SHARE_WITH_CONDITIONS");
    await sharing
      .getByLabel(/Reason for the decision/)
      .fill("GP details for the strategy discussion only, not onward");
    await sharing.getByRole("button", { name: "Record sharing decision" }).click();
    await sharing.getByText("Sharing decision recorded.").waitFor();
    const history = page.locator("section", {
      has: page.getByRole("heading", { name: "Sharing decisions recorded" }),
    });
    await history.locator('tr[data-agency="health"][data-current="true"]').waitFor();
    await expect(
      history.locator('tr[data-agency="health"][data-current="false"]').textContent(),
    ).resolves.toMatch(/Health.*nurse\.evans.*Share.*Relevant to Leo's safety.*Amended/);

    // 4. Back at the front door: education is released, the hub's minimum length first.
    await signInAs(page, "sw.patel");
    await row(page).getByRole("link", { name: id }).click();
    const release = form(page, "Release an agency from this enquiry");
    await release.getByLabel("Agency to release (required)").selectOption("education");
    await release.getByLabel(/Why it is released/).fill("Not needed");
    await release.getByRole("button", { name: "Release agency" }).click();
    await release.getByRole("alert").waitFor();
    await expect(release.getByRole("alert").textContent()).resolves.toMatch(
      /Not recorded:.*reason has 10 characters; a reason of substance has at least \d+/,
    );
    await release
      .getByLabel(/Why it is released/)
      .fill("The school's concern is already in the contact; no further education research needed");
    await release.getByRole("button", { name: "Release agency" }).click();
    await page
      .locator('tr[data-agency="education"]', { hasText: "Released before answering" })
      .waitFor();

    // 5. The manager reads every agency's part and the whole history, sees Leo, and decides.
    await signInAs(page, "mgr.okafor");
    await row(page).getByRole("link", { name: id }).click();
    await history.locator("tbody tr").nth(2).waitFor();
    expect(await attributeOfAll(history.locator("tbody tr"), "data-agency")).toEqual([
      "police",
      "health",
      "health",
    ]);
    expect(await attributeOfAll(history.locator("tbody tr"), "data-current")).toEqual([
      "true",
      "false",
      "true",
    ]);
    // The picture for the README: each agency's part and the history, not the page's top.
    await page
      .getByRole("heading", { name: "Each agency's part" })
      // The test's types have no DOM: Element.scrollIntoView, as the page has it.
      .evaluate((heading) =>
        (heading as unknown as { scrollIntoView(options: object): void }).scrollIntoView({
          block: "start",
        }),
      );
    await screenshot(page, "workspace-enquiry.png");
    await page
      .locator("section", { has: page.getByRole("heading", { name: "People" }) })
      .getByRole("link", { name: "Leo Turner" })
      .click();
    await page.getByRole("heading", { level: 1, name: "Leo Turner" }).waitFor();
    await page.getByRole("region", { name: "Health" }).getByText("Brook Street Practice").waitFor();
    await screenshot(page, "workspace-person.png");
    await page.getByRole("link", { name: `Back to enquiry ${id}` }).click();
    const decide = form(page, "Decide the enquiry");
    await decide.getByLabel("Outcome (required)").selectOption("STRATEGY_DISCUSSION");
    await decide
      .getByLabel(/Reasons for the decision/)
      .fill("Risk of child exploitation: strategy discussion with police and health");
    await decide.getByLabel(/How the referrer was told/).fill("By phone to PC Jones");
    await decide.getByRole("button", { name: "Record decision and close" }).click();
    await page.getByText(/^Decided strategy discussion by mgr\.okafor/).waitFor();

    const closed = await system.query<{
      enquiry: {
        status: string;
        outcome: string;
        research: { agency: string; releasedAt: string | null }[];
        sharingDecisionHistory: { agency: string }[];
      };
    }>(
      "query($id: ID!) { enquiry(id: $id) { status outcome research { agency releasedAt } sharingDecisionHistory { agency } } }",
      { id },
      { as: "mgr.okafor" },
    );
    const decided = closed.body.data?.enquiry;
    expect([decided?.status, decided?.outcome]).toEqual(["CLOSED", "STRATEGY_DISCUSSION"]);
    expect(decided?.research.find((r) => r.agency === "education")?.releasedAt).toBeTruthy();
    expect(decided?.sharingDecisionHistory).toHaveLength(3);
    expect(problems).toEqual([]);
    await context.close();
  });

  // Last: it stops a subgraph for the rest of the suite.
  it("shows an agency that does not answer as missing, not withheld, beside the others", async () => {
    const education = system.subgraphs.find((subgraph) => subgraph.name === "education");
    if (!education) throw new Error("no education subgraph");
    await education.stop();
    const { context, page } = await openWorkspace(browser, origin);
    await signInAs(page, "sw.patel");
    await page.goto(`${origin}/workspace#/enquiry/ENQ-2001/person/S-1001`);
    const card = page.getByRole("region", { name: "Education" });
    await card.getByText("Missing: not answering").waitFor();
    await expect(card.textContent()).resolves.toMatch(
      /Education is not answering: this part is missing, not withheld/,
    );
    await expect(card.locator("li.ws-withheld").count()).resolves.toBe(0);
    await card.getByRole("button", { name: "Try again" }).waitFor();
    // The other agencies still answer.
    await page.getByRole("region", { name: "Health" }).getByText("Larch Medical Centre").waitFor();
    await context.close();
  });
});
