import { Browser, BrowserContext, Page, TestInfo } from "@playwright/test";
import { execFile } from "child_process";
import * as path from "path";
import { expect, test, watchCsp } from "./fixtures";
import { expectAxeClean, expectNoSidewaysScroll, screenshot, waitForHydration } from "./helpers";

// Live status through nginx in front of two instances (scripts/balance): a change saved
// through one instance shows, without a reload, in browsers connected to the other. Each
// browser context is pinned to one instance with the `fv_pin` cookie nginx reads, and every
// test checks which instance answered (the x-fv-instance header). JavaScript only: without
// it the pages are as the server rendered them (the other specs cover that).

const PASSWORD = "forth-valley-demo";
const CLACKS_PLAN = "/committees/clackmannanshire/plans/2023-25";
const PLANS = [CLACKS_PLAN, "/committees/stirling/plans/2024-26", "/committees/falkirk/plans/2024-26"];
const BALANCE = path.join(__dirname, "..", "..", "scripts", "balance");

type Person = { context: BrowserContext; page: Page };

/** A browser of its own, every request of which nginx sends to `instance`. */
async function pinned(browser: Browser, info: TestInfo, instance: "a" | "b"): Promise<Person> {
  const context = await browser.newContext({ javaScriptEnabled: true });
  const base = info.project.use.baseURL ?? "https://127.0.0.1:3443";
  await context.addCookies([{ name: "fv_pin", value: instance, url: base }]);
  const page = await context.newPage();
  watchCsp(page);
  return { context, page };
}

/** Opens `path` and checks the instance that served it; waits until the stream is live. */
async function open(person: Person, info: TestInfo, path: string, instance: "a" | "b") {
  const response = await person.page.goto(path);
  expect(response?.headers()["x-fv-instance"], `${path} served by instance ${instance}`).toBe(instance);
  await waitForHydration(person.page, info);
  await expect(person.page.locator("[data-live-indicator]")).toHaveAttribute("data-state", "live");
}

async function signIn(person: Person, info: TestInfo, email: string, next: string, instance: "a" | "b") {
  await person.page.goto(`/sign-in?next=${encodeURIComponent(next)}`);
  await waitForHydration(person.page, info);
  await person.page.getByLabel("Email address").fill(email);
  await person.page.getByLabel("Password").fill(PASSWORD);
  await person.page.getByRole("button", { name: "Sign in" }).click();
  await person.page.waitForURL((url) => url.pathname === next);
  await open(person, info, next, instance);
}

function unique(what: string) {
  return `${what} (${Date.now().toString(36)})`;
}

/** Records in the page when the selected element first changes (the browser's own clock). */
async function watchChange(page: Page, selector: string) {
  await page.evaluate((selector) => {
    const element = document.querySelector(selector);
    if (!element) throw new Error(`nothing matches ${selector}`);
    (window as any).__changedAt = null;
    new MutationObserver(() => {
      (window as any).__changedAt ??= Date.now();
    }).observe(element, { subtree: true, childList: true, characterData: true });
  }, selector);
}

test("an update through one instance shows in a browser on the other within a second", async ({ browser }, info) => {
  const editor = await pinned(browser, info, "a");
  const reader = await pinned(browser, info, "b");
  await signIn(editor, info, "clacks.contributor@example.org", CLACKS_PLAN, "a");
  await open(reader, info, CLACKS_PLAN, "b");

  const row = editor.page.locator("tr.action-row.status-row-none", {
    has: editor.page.getByRole("link", { name: /^Update action/ }),
  }).first();
  const action = await row.getAttribute("data-live-action");
  await row.getByRole("link", { name: /^Update action/ }).click();
  await expect(editor.page).toHaveURL(/#update$/);
  await waitForHydration(editor.page, info);
  await expect(editor.page.locator("[data-live-indicator]")).toHaveAttribute("data-state", "live");

  const theirs = reader.page.locator(`tr[data-live-action="${action}"]`);
  await expect(theirs.locator(".col-status")).toContainText("Not yet assessed");
  const countBefore = Number(await reader.page.locator('[data-live-count="a"]').first().innerText());
  await watchChange(reader.page, `tr[data-live-action="${action}"] [data-live-field=progress]`);
  await reader.page.evaluate(() => ((window as any).__sameDocument = true));

  const progress = unique("Delayed: the trainer is on leave until March");
  const form = editor.page.getByTestId("update-form");
  await form.getByRole("radio", { name: /Progress delayed/ }).check();
  await form.getByLabel("Progress report").fill(progress);
  const savedAt = await editor.page.evaluate(() => Date.now());
  await form.getByRole("button", { name: "Save update" }).click();

  await expect(theirs.locator(".col-progress")).toContainText(progress, { timeout: 5_000 });
  await expect(theirs.locator(".col-status")).toContainText("Progress delayed");
  await expect(theirs).toHaveClass(/status-row-a/);
  await expect(theirs).toHaveClass(/live-changed/);
  const changedAt = await reader.page.evaluate(() => (window as any).__changedAt as number);
  const latency = changedAt - savedAt;
  console.log(`live: save on instance a to the cell updated on instance b: ${latency} ms`);
  info.annotations.push({ type: "latency", description: `${latency} ms` });
  expect(latency).toBeLessThan(1000);
  // The counts follow, the change is announced, and the page never reloaded.
  await expect(reader.page.locator('[data-live-count="a"]').first()).toHaveText(String(countBefore + 1));
  await expect(reader.page.locator("[data-live-announce]")).toContainText("progress delayed");
  expect(await reader.page.evaluate(() => (window as any).__sameDocument)).toBe(true);
  await screenshot(reader.page, info, "live-plan-updated", 1280);
  await screenshot(reader.page, info, "live-plan-updated", 320);
  await editor.context.close();
  await reader.context.close();
});

test("someone with the same action's form open sees the other's save before pressing save", async ({ browser }, info) => {
  const lead = await pinned(browser, info, "a");
  const contributor = await pinned(browser, info, "b");
  await signIn(lead, info, "clacks.lead@example.org", CLACKS_PLAN, "a");
  const link = lead.page.locator("tr.action-row").nth(8).getByRole("link", { name: /^Update action/ });
  await link.click();
  await expect(lead.page).toHaveURL(/#update$/);
  const actionUrl = new URL(lead.page.url()).pathname;
  await open(lead, info, actionUrl, "a");
  await signIn(contributor, info, "clacks.contributor@example.org", actionUrl, "b");

  const mine = contributor.page.getByTestId("update-form");
  const evidence = unique("Contributor: attendance sheets");
  await mine.getByLabel("Evidence or outcome measures").fill(evidence);

  const theirs = unique("Lead: agreed at the November committee");
  const leadForm = lead.page.getByTestId("update-form");
  await leadForm.getByRole("radio", { name: /On target/ }).check();
  await leadForm.getByLabel("Progress report").fill(theirs);
  await leadForm.getByRole("button", { name: "Save update" }).click();
  await expect(lead.page.locator(".flash-success")).toContainText("Saved.");

  // Before the contributor presses anything: who saved, and what.
  const notice = mine.locator("[data-live-conflict]");
  await expect(notice).toBeVisible({ timeout: 5_000 });
  await expect(notice).toContainText("Isla Ferguson");
  await expect(notice).toContainText(theirs);
  await expect(contributor.page.locator(".action-detail [data-live-field=progress]")).toContainText(theirs);
  await screenshot(contributor.page, info, "live-edit-conflict", 1280);

  await notice.getByRole("button", { name: "Take their changes into account" }).click();
  await expect(notice).toContainText("Their changes are in the form now");
  // Untouched fields take the saved values; what the contributor typed stays.
  await expect(mine.getByLabel("Progress report")).toHaveValue(theirs);
  await expect(mine.getByRole("radio", { name: /On target/ })).toBeChecked();
  await expect(mine.getByLabel("Evidence or outcome measures")).toHaveValue(evidence);
  await mine.getByRole("button", { name: "Save update" }).click();
  await expect(contributor.page.locator(".flash-success")).toContainText("Saved.");
  await expect(contributor.page.getByTestId("conflict")).toHaveCount(0);
  await expect(contributor.page.locator("ol.timeline li").first()).toContainText(evidence);
  await lead.context.close();
  await contributor.context.close();
});

test("a subgroup chair's update of a shared action appears live in all three committees' plans", async ({ browser }, info) => {
  const chair = await pinned(browser, info, "a");
  await signIn(chair, info, "chair.protocols@example.org", "/subgroups/fv-policies-procedures-protocols", "a");
  const card = chair.page.locator("article.shared-action").first();
  const description = (await card.locator("h3").innerText()).trim().slice(0, 60);

  const readers: Person[] = [];
  for (const [i, plan] of PLANS.entries()) {
    const reader = await pinned(browser, info, i % 2 ? "a" : "b");
    await open(reader, info, plan, i % 2 ? "a" : "b");
    await expect(reader.page.locator("tr.action-row", { hasText: description })).toHaveCount(1);
    readers.push(reader);
  }

  await card.getByText("Update this action").click();
  const form = card.getByTestId("update-form");
  const progress = unique("Signed off by all three chief officers groups");
  await form.getByRole("radio", { name: /On target/ }).check();
  await form.getByLabel("Progress report").fill(progress);
  await form.getByRole("button", { name: "Save update" }).click();
  await expect(chair.page.locator(".flash-success")).toContainText("Saved.");

  for (const reader of readers) {
    const row = reader.page.locator("tr.action-row", { hasText: description });
    await expect(row.locator(".col-progress")).toContainText(progress, { timeout: 5_000 });
    await expect(row.locator(".col-status")).toContainText("On target");
    await reader.context.close();
  }
  await chair.context.close();
});

test("the indicator shows a server restart and recovers, and nothing is missed meanwhile", async ({ browser }, info) => {
  const reader = await pinned(browser, info, "a");
  await open(reader, info, CLACKS_PLAN, "a");
  const indicator = reader.page.locator("[data-live-indicator]");
  await expect(indicator).toContainText("Live");

  // Restarting instance a ends its streams; the browser reconnects (to b, its backup, while
  // a is down) and resumes from the last event it had.
  const restart = new Promise<void>((resolve, reject) => {
    execFile(BALANCE, ["restart", "a"], { env: process.env, timeout: 60_000 }, (error, _out, stderr) =>
      error ? reject(new Error(`scripts/balance restart a: ${error.message} ${stderr}`)) : resolve(),
    );
  });
  await expect(indicator).toHaveAttribute("data-state", /reconnecting|offline/, { timeout: 15_000 });
  await screenshot(reader.page, info, "live-reconnecting", 375);
  await restart;
  await expect(indicator).toHaveAttribute("data-state", "live", { timeout: 20_000 });

  // A change made now reaches the reconnected page.
  const editor = await pinned(browser, info, "b");
  await signIn(editor, info, "clacks.lead@example.org", CLACKS_PLAN, "b");
  const row = editor.page.locator("tr.action-row").nth(3);
  const action = await row.getAttribute("data-live-action");
  await row.getByRole("link", { name: /^Update action/ }).click();
  await waitForHydration(editor.page, info);
  const progress = unique("After the restart");
  const form = editor.page.getByTestId("update-form");
  await form.getByLabel("Progress report").fill(progress);
  await form.getByRole("button", { name: "Save update" }).click();
  await expect(editor.page.locator(".flash-success")).toContainText("Saved.");
  await expect(reader.page.locator(`tr[data-live-action="${action}"] .col-progress`)).toContainText(progress, {
    timeout: 5_000,
  });
  await editor.context.close();
  await reader.context.close();
});

test("the committee dashboard is accessible and keeps up live, on a phone too", async ({ browser }, info) => {
  const reader = await pinned(browser, info, "b");
  await reader.page.setViewportSize({ width: 320, height: 800 });
  await open(reader, info, "/committees/clackmannanshire", "b");
  const dashboard = reader.page.locator("section.plan-dashboard").first();
  await expect(dashboard.getByRole("heading", { name: "Status by priority and outcome" })).toBeVisible();
  await expect(dashboard.locator("svg.history-svg")).toBeVisible();
  await expectAxeClean(reader.page, info, "the committee dashboard");
  await expectNoSidewaysScroll(reader.page);

  // A lead moves an action to amber: the dashboard's counts follow, and it says that the
  // red and amber list has a new entry.
  const lead = await pinned(browser, info, "a");
  await signIn(lead, info, "clacks.lead@example.org", CLACKS_PLAN, "a");
  const amberBefore = Number(await dashboard.locator('[data-live-count="a"]').innerText());
  const row = lead.page.locator("tr.action-row.status-row-none", {
    has: lead.page.getByRole("link", { name: /^Update action/ }),
  }).nth(1);
  await row.getByRole("link", { name: /^Update action/ }).click();
  await waitForHydration(lead.page, info);
  const form = lead.page.getByTestId("update-form");
  await form.getByRole("radio", { name: /Progress delayed/ }).check();
  await form.getByLabel("Progress report").fill(unique("Waiting for the new provider"));
  await form.getByRole("button", { name: "Save update" }).click();
  await expect(lead.page.locator(".flash-success")).toContainText("Saved.");
  await expect(dashboard.locator('[data-live-count="a"]')).toHaveText(String(amberBefore + 1), { timeout: 5_000 });
  await expect(reader.page.locator("[data-live-notice]")).toContainText("turned red or amber");
  await expectAxeClean(reader.page, info, "the dashboard after a live change");
  await screenshot(reader.page, info, "live-committee-dashboard", 320);
  await screenshot(reader.page, info, "live-committee-dashboard", 1280);

  await reader.page.goto(CLACKS_PLAN);
  await waitForHydration(reader.page, info);
  await expectAxeClean(reader.page, info, "the live plan page");
  await lead.context.close();
  await reader.context.close();
});

test("a browser's tabs share one stream, and every tab shows the change", async ({ browser }, info) => {
  const reader = await pinned(browser, info, "b");
  const streams: string[] = [];
  reader.context.on("request", (request) => {
    if (new URL(request.url()).pathname === "/live") streams.push(request.url());
  });
  await open(reader, info, CLACKS_PLAN, "b");
  const tabs: Person[] = [reader];
  for (const path of [CLACKS_PLAN, "/"]) {
    const page = await reader.context.newPage();
    watchCsp(page);
    const tab = { context: reader.context, page };
    await open(tab, info, path, "b");
    tabs.push(tab);
  }
  expect(streams.length, `streams opened by three tabs: ${streams.join(", ")}`).toBe(1);

  const editor = await pinned(browser, info, "a");
  await signIn(editor, info, "clacks.contributor@example.org", CLACKS_PLAN, "a");
  const row = editor.page.locator("tr.action-row.status-row-none", {
    has: editor.page.getByRole("link", { name: /^Update action/ }),
  }).nth(3);
  const action = await row.getAttribute("data-live-action");
  await row.getByRole("link", { name: /^Update action/ }).click();
  await waitForHydration(editor.page, info);
  const progress = unique("Shared with every tab");
  const form = editor.page.getByTestId("update-form");
  await form.getByRole("radio", { name: /On target/ }).check();
  await form.getByLabel("Progress report").fill(progress);
  await form.getByRole("button", { name: "Save update" }).click();
  await expect(editor.page.locator(".flash-success")).toContainText("Saved.");
  for (const tab of tabs.slice(0, 2)) {
    await expect(tab.page.locator(`tr[data-live-action="${action}"] .col-progress`)).toContainText(progress, { timeout: 5_000 });
  }
  // The overview's counts for the plan follow in the third tab.
  const overviewCount = tabs[2].page.locator('[data-live-counts] [data-live-count="g"]').first();
  await expect(overviewCount).not.toHaveText("0", { timeout: 5_000 });
  expect(streams.length).toBe(1);
  await editor.context.close();
  await reader.context.close();
});
