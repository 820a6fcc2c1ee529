import { Page, TestInfo } from "@playwright/test";
import { expect, test } from "./fixtures";
import { expectAxeClean, expectNoSidewaysScroll, waitForHydration } from "./helpers";

// Accessibility across the site, with JavaScript and without: every page axe-clean against
// WCAG 2.2 AA, readable at 320 px (1,280 px at 400 % zoom) without scrolling sideways, the
// accessibility statement linked from each; signing in and updating an action by keyboard
// alone. Refused forms, the conflict panel, dashboards and reports are checked where their
// own specs reach them (working, live, quarterly).

const PASSWORD = "forth-valley-demo";
const PLAN = "/committees/clackmannanshire/plans/2023-25";

const PUBLIC_PAGES = [
  "/",
  "/committees/clackmannanshire",
  PLAN,
  `${PLAN}/summary`,
  "/committees/stirling/plans/2024-26",
  "/subgroups/fv-policies-procedures-protocols",
  "/protocols",
  "/protocols/fv-ird-procedure",
  "/sign-in",
  "/sign-in/code",
  "/accessibility",
  "/committees/nowhere", // the 404 page
];

// Who sees what: a lead officer's working pages, a subgroup chair's, the platform admin's.
const SIGNED_IN: [string, string[]][] = [
  [
    "clacks.lead@example.org",
    [
      "/me",
      "/committees/clackmannanshire",
      PLAN,
      `${PLAN}/edit`,
      "/committees/clackmannanshire/members",
      "/committees/clackmannanshire/audit",
      "/committees/clackmannanshire/risks",
      "/committees/clackmannanshire/periods",
      "/committees/clackmannanshire/plans/import",
      "/committees/clackmannanshire/risks/import",
      "/forth-valley/report",
      "/account",
      "/account/two-step",
    ],
  ],
  ["chair.ird@example.org", ["/subgroups/ird-steering-group", "/subgroups/ird-steering-group/risks", "/me"]],
  ["admin@example.org", ["/admin"]],
];

async function signIn(page: Page, info: TestInfo, email: string) {
  await page.goto("/sign-in?next=/me");
  await waitForHydration(page, info);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname === "/me");
}

/** One page: axe-clean, the statement linked from its footer, no sideways scroll at 320 px. */
async function walk(page: Page, info: TestInfo, path: string, who: string) {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(path);
  await waitForHydration(page, info);
  await expectAxeClean(page, info, `${path} as ${who}`);
  const statement = page.getByRole("contentinfo").getByRole("link", { name: "Accessibility statement" });
  await expect(statement, `${path} links the statement`).toHaveAttribute("href", "/accessibility");
  await page.setViewportSize({ width: 320, height: 800 });
  // Soft, so one run names every page that does not reflow.
  await expectNoSidewaysScroll(page, `${path} as ${who} at 320 px`, true);
}

// A known bug, open (2026-12-04): on instances just started, a page of the first walk here
// (public or signed in, whichever runs first, some 10-30 s after the start) sometimes never
// hydrates: its live island starts and retries its stream, data-hydrated is never set, and
// Chromium warns that the preloaded forth.wasm went unused. Seen in 4 of 4 runs on fresh
// instances, never when the same instances are walked again. One retry keeps CI honest about
// everything else; Playwright reports a retried pass as "flaky", and the fixture prints what
// the browser reported (tests/fixtures.ts) for whoever takes it up.
test.describe.configure({ retries: 1 });

test("every public page is accessible, reflows at 320 px and links the statement", async ({ page }, info) => {
  test.setTimeout(120_000);
  for (const path of PUBLIC_PAGES) await walk(page, info, path, "the public");
});

test("every signed-in page is accessible, reflows at 320 px and links the statement", async ({ page }, info) => {
  test.setTimeout(180_000);
  for (const [email, paths] of SIGNED_IN) {
    await page.context().clearCookies();
    await signIn(page, info, email);
    for (const path of paths) await walk(page, info, path, email);
  }
});

test("a refused sign-in is accessible and says why", async ({ page }, info) => {
  await page.goto("/sign-in");
  await waitForHydration(page, info);
  await page.getByLabel("Email address").fill("clacks.lead@example.org");
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").first()).toBeVisible();
  await expectAxeClean(page, info, "the refused sign-in");
});

test("the statement is in the regulations' form", async ({ page }) => {
  await page.goto("/accessibility");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^Accessibility statement for /);
  for (const section of [
    "How accessible this website is",
    "Feedback and contact information",
    "Reporting accessibility problems with this website",
    "Enforcement procedure",
    "Technical information about this website’s accessibility",
    "What we’re doing to improve accessibility",
    "Preparation of this accessibility statement",
  ]) {
    await expect(page.getByRole("heading", { level: 2, name: section })).toBeVisible();
  }
  await expect(page.getByRole("heading", { name: "Compliance status" })).toBeVisible();
  await expect(page.locator("main")).toContainText("Equality Advisory and Support Service");
  await expect(page.locator("main")).toContainText(/This statement was prepared on \d{1,2} \w+ \d{4}/);
});

/** Presses Tab until `target` has the focus (at most `limit` times); fails otherwise. */
async function tabTo(page: Page, target: ReturnType<Page["locator"]>, what: string, limit = 80) {
  for (let i = 0; i < limit; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${what}`);
}

test("signing in and updating an action with the keyboard alone", async ({ page }, info) => {
  test.setTimeout(90_000);
  await page.goto(PLAN);
  await waitForHydration(page, info);
  // Sign in: from the page header's link, every field and the button by Tab and keys.
  await tabTo(page, page.getByRole("link", { name: "Sign in", exact: true }), "the sign-in link");
  await page.keyboard.press("Enter");
  await page.waitForURL((url) => url.pathname === "/sign-in");
  await waitForHydration(page, info);
  await tabTo(page, page.getByLabel("Email address"), "the email field");
  await page.keyboard.type("clacks.contributor@example.org");
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Password")).toBeFocused();
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press("Enter");
  await page.waitForURL((url) => url.pathname === PLAN);
  await waitForHydration(page, info);

  // To the first action the contributor may update, and its form.
  const update = page.getByRole("link", { name: /^Update action/ }).first();
  await tabTo(page, update, "an Update link", 400);
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/actions\//);
  await waitForHydration(page, info);
  const form = page.getByTestId("update-form");
  const onTarget = form.getByRole("radio", { name: /On target/ });
  // Tab enters the status group at its checked choice (or its first); arrow keys then move
  // through the group, checking as they go.
  for (let i = 0; ; i++) {
    if (i > 120) throw new Error("Tab never reached the status choices");
    const inGroup = await page.evaluate(
      () => (document.activeElement as HTMLInputElement | null)?.type === "radio" &&
        !!document.activeElement?.closest("[data-testid=update-form]"),
    );
    if (inGroup) break;
    await page.keyboard.press("Tab");
  }
  for (let i = 0; i < 6 && !(await onTarget.isChecked()); i++) await page.keyboard.press("ArrowDown");
  await expect(onTarget).toBeFocused();
  await expect(onTarget).toBeChecked();
  const words = `Keyboard only (${info.project.name}, ${Date.now().toString(36)})`;
  await tabTo(page, form.getByLabel("Progress report"), "the progress report");
  await page.keyboard.type(words);
  await tabTo(page, form.getByRole("button", { name: "Save update" }), "Save update");
  await page.keyboard.press("Enter");
  await expect(page.locator(".flash-success")).toContainText("Saved.");
  await expect(page.locator("main")).toContainText(words);
});
