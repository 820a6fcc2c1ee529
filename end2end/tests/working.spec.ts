import { Browser, Page, TestInfo } from "@playwright/test";
import { expect, test, watchCsp } from "./fixtures";
import { expectAxeClean, screenshot, waitForHydration } from "./helpers";

// Working the plan together: updating from the plan table, two people on one action, and a
// subgroup's one update of a shared action showing in all three committees' plans. Every
// test runs with JavaScript (updates in place) and without (plain POST, redirect back).

const PASSWORD = "forth-valley-demo";
const CLACKS_PLAN = "/committees/clackmannanshire/plans/2023-25";
const PLANS = [CLACKS_PLAN, "/committees/stirling/plans/2024-26", "/committees/falkirk/plans/2024-26"];

async function signIn(page: Page, info: TestInfo, email: string, next: string) {
  await page.goto(`/sign-in?next=${encodeURIComponent(next)}`);
  await waitForHydration(page, info);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname === next);
  await waitForHydration(page, info);
}

/** Words no other run has typed, so each assertion sees this run's edit. */
function unique(what: string, info: TestInfo) {
  return `${what} (${info.project.name}, ${Date.now().toString(36)})`;
}

/** With JavaScript the page must not reload: a marker set before the submit survives it. */
async function markPage(page: Page, info: TestInfo) {
  if (info.project.name === "js") await page.evaluate(() => ((window as any).__sameDocument = true));
}
async function expectSamePage(page: Page, info: TestInfo) {
  if (info.project.name === "js") expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
}

async function newPerson(browser: Browser, info: TestInfo, email: string, next: string) {
  const context = await browser.newContext({ javaScriptEnabled: info.project.name === "js" });
  const page = await context.newPage();
  watchCsp(page);
  await signIn(page, info, email, next);
  return { context, page };
}

test("a contributor updates an action from the plan table in one step", async ({ page }, info) => {
  await signIn(page, info, "clacks.contributor@example.org", CLACKS_PLAN);
  // The committee's own actions (shared ones are updated by their subgroup), not yet assessed.
  const updatable = page.locator("tr.action-row.status-row-none", { has: page.getByRole("link", { name: /^Update action/ }) });
  const row = updatable.nth(2);
  const reference = (await row.locator(".col-ref").innerText()).trim();
  await row.getByRole("link", { name: `Update action ${reference}` }).click();
  await expect(page).toHaveURL(/\/actions\/[0-9a-f-]+#update$/);
  await waitForHydration(page, info);

  const form = page.getByTestId("update-form");
  const progress = unique("Multi-agency training dates agreed", info);
  await form.getByRole("radio", { name: /Progress delayed/ }).check();
  await form.getByLabel("Progress report").fill(progress);
  await markPage(page, info);
  await form.getByRole("button", { name: "Save update" }).click();

  await expect(page.locator(".flash-success")).toContainText("Saved.");
  await expectSamePage(page, info);
  await expect(page.locator(".action-detail header .status")).toContainText("Progress delayed");
  await expect(page.locator("ol.timeline li").first()).toContainText(progress);
  await expect(page.locator("ol.timeline li").first()).toContainText("Callum Baird");
  await screenshot(page, info, "action-updated", 1280);
  await screenshot(page, info, "action-updated", 375);

  await page.goto(CLACKS_PLAN);
  const updated = page.locator("tr.action-row", { hasText: progress });
  await expect(updated).toHaveCount(1);
  await expect(updated.locator(".col-status")).toContainText("Progress delayed");
});

test("a move to R without a revised timescale is refused with a message and nothing lost", async ({ page }, info) => {
  await signIn(page, info, "clacks.lead@example.org", CLACKS_PLAN);
  await page
    .locator("tr.action-row.status-row-none", { has: page.getByRole("link", { name: /^Update action/ }) })
    .nth(4)
    .getByRole("link", { name: /^Update action/ })
    .click();
  await waitForHydration(page, info);
  const form = page.getByTestId("update-form");
  const progress = unique("Behind: the trainer left", info);
  await form.getByRole("radio", { name: /Revision required/ }).check();
  await form.getByLabel("Progress report").fill(progress);
  await form.getByRole("button", { name: "Save update" }).click();

  await expect(page.locator(".flash-error")).toContainText("nothing has been saved");
  await expect(form.getByLabel("Revised timescale")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByLabel("Progress report")).toHaveValue(progress);
  await expect(form.getByRole("radio", { name: /Revision required/ })).toBeChecked();
  await expectAxeClean(page, info, "the refused update form");

  await form.getByLabel("Revised timescale").fill("June 2026");
  await form.getByLabel("Reason for the revision").fill("The trainer left in September.");
  await form.getByRole("button", { name: "Save update" }).click();
  await expect(page.locator(".flash-success")).toContainText("revision required");
  await expect(page.locator(".fields")).toContainText("June 2026");
  await expect(page.locator(".fields")).toContainText("originally");
  await expect(page.locator("ol.timeline li").first()).toContainText("The trainer left in September.");
});

test("two people edit one action: the second sees the first's change and keeps their own words", async ({ browser }, info) => {
  const lead = await newPerson(browser, info, "clacks.lead@example.org", CLACKS_PLAN);
  const contributor = await newPerson(browser, info, "clacks.contributor@example.org", CLACKS_PLAN);
  await lead.page.locator("tr.action-row").nth(6).getByRole("link", { name: /^Update action/ }).click();
  const actionUrl = lead.page.url();
  await contributor.page.goto(actionUrl);
  await waitForHydration(lead.page, info);
  await waitForHydration(contributor.page, info);

  const theirs = unique("Lead: the audit report went to committee", info);
  const mine = unique("Contributor: twelve staff trained so far", info);
  // Both opened the same version; the contributor types first, the lead saves first.
  const contributorForm = contributor.page.getByTestId("update-form");
  await contributorForm.getByLabel("Progress report").fill(mine);
  const leadForm = lead.page.getByTestId("update-form");
  await leadForm.getByRole("radio", { name: /On target/ }).check();
  await leadForm.getByLabel("Progress report").fill(theirs);
  await leadForm.getByRole("button", { name: "Save update" }).click();
  await expect(lead.page.locator(".flash-success")).toContainText("Saved.");

  await markPage(contributor.page, info);
  await contributorForm.getByRole("button", { name: "Save update" }).click();
  const conflict = contributor.page.getByTestId("conflict");
  await expect(conflict).toBeVisible();
  await expectSamePage(contributor.page, info);
  await expect(conflict).toContainText(theirs);
  await expect(conflict).toContainText("Isla Ferguson");
  await expect(contributor.page.getByTestId("update-form").getByLabel("Progress report")).toHaveValue(mine);
  await screenshot(contributor.page, info, "update-conflict", 1280);
  await expectAxeClean(contributor.page, info, "the conflict panel");

  // One press applies the kept text on top of the other change.
  await contributor.page.getByTestId("update-form").getByRole("button", { name: "Save update" }).click();
  await expect(contributor.page.locator(".flash-success")).toContainText("Saved.");
  const timeline = contributor.page.locator("ol.timeline");
  await expect(timeline.locator("li").nth(0)).toContainText(mine);
  await expect(timeline.locator("li").nth(1)).toContainText(theirs);
  await lead.context.close();
  await contributor.context.close();
});

test("a subgroup chair updates a shared action once and all three plans show it", async ({ page }, info) => {
  const subgroup = "/subgroups/fv-policies-procedures-protocols";
  await signIn(page, info, "chair.protocols@example.org", subgroup);
  const card = page.locator("article.shared-action").first();
  const description = (await card.locator("h3").innerText()).trim();
  await card.getByText("Update this action").click();
  const form = card.getByTestId("update-form");
  const progress = unique("Signed off by all three chief officers groups", info);
  await form.getByRole("radio", { name: /On target/ }).check();
  await form.getByLabel("Progress report").fill(progress);
  await form.getByRole("button", { name: "Save update" }).click();
  await expect(page.locator(".flash-success")).toContainText("Saved.");
  await expect(page.locator("article.shared-action", { hasText: progress })).toHaveCount(1);

  for (const plan of PLANS) {
    await page.goto(plan);
    const row = page.locator("tr.action-row", { hasText: description.slice(0, 60) });
    await expect(row).toHaveCount(1);
    await expect(row.locator(".col-progress")).toContainText(progress);
    await expect(row.locator(".col-status")).toContainText("On target");
  }
  // One record, one history, whichever plan it is read from.
  await page.locator("tr.action-row", { hasText: description.slice(0, 60) }).locator("a.action-link").click();
  await expect(page.locator("ol.timeline li", { hasText: progress })).toHaveCount(1);
  await expect(page.locator("ul.adoptions li")).toHaveCount(3);
});

test("my work lists what the person can update, needing attention first", async ({ page }, info) => {
  await signIn(page, info, "both.committees@example.org", "/me");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("My work");
  await expect(page.getByRole("heading", { name: "Clackmannanshire Child Protection Committee" })).toBeVisible();
  const items = page.locator(".work-item");
  expect(await items.count()).toBeGreaterThan(10);
  // Flagged items (red, amber, past timescale, not updated) come first in each group.
  const groups = await page.locator(".work-group").evaluateAll((sections) =>
    sections.map((s) => Array.from(s.querySelectorAll(".work-item")).map((el) => el.querySelector(".work-flags") !== null)),
  );
  expect(groups.flat().filter(Boolean).length).toBeGreaterThan(0);
  for (const flags of groups) {
    const firstPlain = flags.indexOf(false);
    if (firstPlain >= 0) expect(flags.slice(firstPlain)).not.toContain(true);
  }
  await screenshot(page, info, "my-work", 1280);
  await screenshot(page, info, "my-work", 375);
});

test("a lead officer records a review, retires an action and compares the plan with the review", async ({ page }, info) => {
  await signIn(page, info, "falkirk.lead@example.org", "/committees/falkirk/plans/2024-26");
  await page.getByRole("link", { name: "Edit plan" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Edit");
  await waitForHydration(page, info);
  const note = unique("Autumn review", info);
  await page.getByLabel("Date of the review").fill("2026-11-20");
  await page.getByLabel("Note (optional)").fill(note);
  await page.getByRole("button", { name: "Record review" }).click();
  await expect(page.locator(".flash-success")).toContainText("reviewed and updated 20 November 2026");

  const first = page.locator(".edit-action").first();
  const reference = (await first.locator(".action-ref").innerText()).trim();
  await first.getByRole("button", { name: `Retire action ${reference}` }).click();
  await expect(page.locator(".flash-success")).toContainText("Retired the action");
  await screenshot(page, info, "plan-edit", 1280);

  await page.goto("/committees/falkirk/plans/2024-26");
  await page.getByRole("link", { name: /What changed since the review of November 2026/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("compared with the review of 20 November 2026");
  const retired = page.locator(".compare-table tr", { hasText: "Retired" });
  await expect(retired.first()).toContainText(reference);
  await screenshot(page, info, "plan-compare", 1280);
  await screenshot(page, info, "plan-compare", 375);
});
