import { test, expect } from "./fixtures";
import { screenshot, expectNoSidewaysScroll, waitForHydration } from "./helpers";

// Known flaky since the suite runs through TLS and HTTP/2 (2026-12-03): the first test below
// sometimes waits 15 s for the plan page to hydrate after the live spec, in two of three full
// runs and in none of the runs of five specs. One retry keeps CI honest about everything
// else while that is investigated; Playwright reports a retried pass as "flaky".
test.describe.configure({ retries: 1 });

test("from the overview to the Clackmannanshire plan, filtered by status", async ({ page }, info) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Forth Valley");
  for (const committee of ["Clackmannanshire", "Stirling", "Falkirk"]) {
    await expect(page.getByRole("link", { name: `${committee} Child Protection Committee` })).toBeVisible();
  }
  await screenshot(page, info, "overview", 375);
  await screenshot(page, info, "overview", 1280);

  await page.getByRole("link", { name: "Strategic Improvement Plan 2023-25" }).click();
  await expect(page).toHaveURL(/\/committees\/clackmannanshire\/plans\/2023-25$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Strategic Improvement Plan 2023-25");
  await expect(page.getByText("Reviewed and updated November 2023")).toBeVisible();
  await waitForHydration(page, info);

  const rows = page.locator("tr.action-row");
  const total = await rows.count();
  expect(total).toBeGreaterThan(50);
  // The status summary says how many are complete; the filter must show exactly those.
  const completeCount = Number(
    await page.locator(".plan-header .status-counts li", { hasText: "Complete" }).locator(".count").innerText(),
  );
  expect(completeCount).toBeGreaterThan(0);

  if (info.project.name === "js") {
    // Hydrated, the filter island applies a choice as soon as it is made.
    await Promise.all([page.waitForURL(/status=p/), page.getByLabel("Status").selectOption({ label: "Complete" })]);
  } else {
    // Without JavaScript the same form submits as a plain GET.
    await page.getByLabel("Status").selectOption({ label: "Complete" });
    await page.getByRole("button", { name: "Apply filters" }).click();
  }
  await expect(page).toHaveURL(/status=p/);
  await expect(rows).toHaveCount(completeCount);
  await expect(page.locator("tr.action-row.status-row-p")).toHaveCount(completeCount);
  await expect(page.getByRole("status")).toHaveText(`Showing ${completeCount} of ${total} actions that match the filters.`);
  await expect(page.getByLabel("Status")).toHaveValue("p");

  await page.getByRole("link", { name: "Clear" }).click();
  await expect(rows).toHaveCount(total);
});

test("the plan reads as cards on a phone and as a table on a desktop", async ({ page }, info) => {
  await page.goto("/committees/clackmannanshire/plans/2023-25");
  await screenshot(page, info, "plan", 1280);
  await expect(page.locator("table.plan-table thead").first()).toBeVisible();
  const desktop = await page.locator("tr.action-row").first().evaluate((row) => getComputedStyle(row).display);
  expect(desktop).toBe("table-row");
  await screenshot(page, info, "plan", 375);
  await expectNoSidewaysScroll(page);
  // Each action is a card of its own, not a table row.
  const display = await page.locator("tr.action-row").first().evaluate((row) => getComputedStyle(row).display);
  expect(display).not.toBe("table-row");
});

test("a shared action shows every plan that adopts it", async ({ page }, info) => {
  await page.goto("/committees/clackmannanshire/plans/2023-25?subgroup=ird-steering-group");
  const row = page.locator("tr.action-row", { hasText: "Shared ·" }).first();
  await row.locator("a.action-link").click();
  await expect(page).toHaveURL(/\/actions\/[0-9a-f-]{36}$/);
  await expect(page.getByText("Shared Forth Valley action owned by the")).toBeVisible();
  const adoptions = page.locator("ul.adoptions li");
  await expect(adoptions).toHaveCount(3);
  for (const committee of ["Clackmannanshire", "Stirling", "Falkirk"]) {
    await expect(adoptions.filter({ hasText: `${committee} Child Protection Committee` })).toHaveCount(1);
  }
  await screenshot(page, info, "action", 375);
  await screenshot(page, info, "action", 1280);

  // The same record, reached through another committee's plan.
  await adoptions.filter({ hasText: "Falkirk" }).getByRole("link").click();
  await expect(page).toHaveURL(/\/committees\/falkirk\/plans\/2024-26\/actions\//);
  await expect(page.locator("ul.adoptions li")).toHaveCount(3);
});

test("subgroups and the protocol register", async ({ page }, info) => {
  await page.goto("/subgroups/fv-policies-procedures-protocols");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("FV Policies, Procedures and Protocols Subgroup");
  await expect(page.locator("article.shared-action").first()).toBeVisible();
  await page.goto("/protocols");
  await expect(page.getByRole("rowheader", { name: /Forth Valley Learning Review Protocol/ })).toBeVisible();
  await expect(page.locator(".ratification-declined")).toHaveCount(1);
  await screenshot(page, info, "protocols", 375);
  await expectNoSidewaysScroll(page);
});

test("an unknown plan is a helpful 404", async ({ page }) => {
  const response = await page.goto("/committees/clackmannanshire/plans/1999-01");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  await expect(page.getByRole("link", { name: "Forth Valley overview" })).toBeVisible();
});

test("the keyboard reaches the skip link first and it moves focus to the content", async ({ page }) => {
  await page.goto("/committees/clackmannanshire/plans/2023-25");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to main content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#main$/);
});

test("the plan downloads as CSV", async ({ page, request }) => {
  const response = await request.get("/committees/clackmannanshire/plans/2023-25/export.csv");
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toBe("text/csv; charset=utf-8");
  const text = await response.text();
  expect(text.split("\r\n")[0]).toBe("priority,outcome_number,outcome,objective_number,objective,action,lead,timescale,evidence,progress,status");
  await page.goto("/committees/clackmannanshire/plans/2023-25");
  await expect(page.getByRole("link", { name: "Download as CSV" })).toHaveAttribute("href", "/committees/clackmannanshire/plans/2023-25/export.csv");
});
