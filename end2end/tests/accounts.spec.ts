import { Page, TestInfo } from "@playwright/test";
import { expect, test, watchCsp } from "./fixtures";
import { screenshot, waitForHydration } from "./helpers";

// The demo accounts (README): one password for all, demo mode only.
const PASSWORD = "forth-valley-demo";
const DRAFT = "/committees/clackmannanshire/plans/2025-27";
const DRAFT_TITLE = "Strategic Improvement Plan 2025-27 (draft)";

async function signIn(page: Page, info: TestInfo, email: string, next = "/") {
  await page.goto(`/sign-in?next=${encodeURIComponent(next)}`);
  await waitForHydration(page, info);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname === next);
}

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).first().click();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
}

// Each kind of person sees exactly what DESIGN.md allows them: who they are and where they
// belong on every page, the draft only if they sit on Clackmannanshire's committee.
const PEOPLE = [
  { email: "clacks.member@example.org", name: "Morven Drummond", belongs: ["Clackmannanshire"], draft: true, admin: false },
  { email: "clacks.lead@example.org", name: "Isla Ferguson", belongs: ["Clackmannanshire"], draft: true, admin: false },
  { email: "falkirk.lead@example.org", name: "Shona Menzies", belongs: ["Falkirk"], draft: false, admin: false },
  { email: "chair.protocols@example.org", name: "Gordon Rennie", belongs: ["FV Policies & Protocols"], draft: false, admin: false },
  { email: "both.committees@example.org", name: "Catriona Murray", belongs: ["Clackmannanshire", "Stirling", "IRD Steering Group"], draft: true, admin: false },
  { email: "admin@example.org", name: "Platform Admin", belongs: [], draft: false, admin: true },
];

for (const person of PEOPLE) {
  test(`${person.email} sees what they may and nothing more`, async ({ page }, info) => {
    await signIn(page, info, person.email, "/committees/clackmannanshire");
    const bar = page.getByRole("navigation", { name: "Your committees and subgroups" });
    await expect(page.getByTestId("signed-in-name")).toHaveText(person.name);
    for (const place of person.belongs) {
      await expect(bar.getByRole("link", { name: place, exact: true })).toBeVisible();
    }
    if (person.admin) await expect(bar.getByRole("link", { name: "Platform admin" })).toBeVisible();

    const draftLink = page.getByRole("link", { name: DRAFT_TITLE });
    if (person.draft) {
      await expect(draftLink).toBeVisible();
      const response = await page.goto(DRAFT);
      expect(response?.status()).toBe(200);
      await expect(page.getByRole("heading", { level: 1 })).toContainText("2025-27");
    } else {
      await expect(draftLink).toHaveCount(0);
      const response = await page.goto(DRAFT);
      expect(response?.status()).toBe(404);
      await expect(page.getByText(DRAFT_TITLE)).toHaveCount(0);
    }

    // A person on several committees moves between them from the header.
    if (person.belongs.includes("Stirling")) {
      await page.getByRole("navigation", { name: "Your committees and subgroups" }).getByRole("link", { name: "Stirling", exact: true }).click();
      await expect(page).toHaveURL(/\/committees\/stirling$/);
      await expect(page.getByText("Your role on this committee: Member")).toBeVisible();
    }
    await signOut(page);
    expect((await page.goto(DRAFT))?.status()).toBe(404);
  });
}

test("the public sees published plans and no draft", async ({ page }, info) => {
  await page.goto("/committees/clackmannanshire");
  await waitForHydration(page, info);
  await expect(page.getByRole("link", { name: "Strategic Improvement Plan 2023-25" })).toBeVisible();
  await expect(page.getByRole("link", { name: DRAFT_TITLE })).toHaveCount(0);
  expect((await page.goto("/account"))?.status()).toBe(401);
  await expect(page.getByRole("link", { name: "Sign in" }).first()).toBeVisible();
});

test("a wrong password gets one clear message and keeps the email", async ({ page }, info) => {
  await page.goto("/sign-in");
  await waitForHydration(page, info);
  await page.getByLabel("Email address").fill("clacks.member@example.org");
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("That email address and password do not match an account.");
  await expect(page.getByLabel("Email address")).toHaveValue("clacks.member@example.org");
  await expect(page.getByLabel("Password")).toHaveValue("");
});

test("a lead officer invites someone, who sets a password with the one-time link", async ({ page, browser }, info) => {
  const email = `invitee-${info.project.name}@example.org`;
  const name = `Robyn Invitee ${info.project.name}`;
  await signIn(page, info, "clacks.lead@example.org", "/committees/clackmannanshire/members");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Role", { exact: true }).selectOption("contributor");
  await page.getByRole("button", { name: "Add to committee" }).click();
  await expect(page.getByRole("status")).toContainText(`${name} is now a contributor`);
  const link = await page.getByTestId("one-time-link").inputValue();
  expect(link).toMatch(/\/invitations\/[0-9a-f]{64}$/);
  await expect(page.getByRole("row", { name: new RegExp(name) })).toContainText("Invited, not signed in yet");
  await screenshot(page, info, "members", 1280);

  const invitee = await browser.newContext({ javaScriptEnabled: info.project.name === "js" });
  const other = await invitee.newPage();
  watchCsp(other);
  await other.goto(link);
  await expect(other.getByRole("heading", { name: `Welcome, ${name}` })).toBeVisible();
  await other.getByLabel("Password", { exact: true }).fill("three random words");
  await other.getByLabel("Password again").fill("three random words");
  await other.getByRole("button", { name: "Set password and sign in" }).click();
  await expect(other).toHaveURL(/\/account$/);
  await expect(other.getByTestId("signed-in-name")).toHaveText(name);
  await expect(other.getByText("Contributor")).toBeVisible();
  expect((await other.goto(DRAFT))?.status()).toBe(200);
  await invitee.close();

  // The link worked once.
  const again = await page.goto(link.replace(/^https?:\/\/[^/]+/, ""));
  expect(again?.status()).toBe(404);
});

test("a committee member reads the audit log, filtered by kind of object", async ({ page }, info) => {
  await signIn(page, info, "clacks.member@example.org", "/committees/clackmannanshire/audit");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Audit log of Clackmannanshire Child Protection Committee");
  const all = await page.getByRole("row").count();
  expect(all).toBeGreaterThan(2);
  await page.getByLabel("Object").selectOption("plan");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/object=plan/);
  const plans = await page.getByRole("row").count();
  expect(plans).toBeGreaterThan(1);
  expect(plans).toBeLessThan(all);
  await screenshot(page, info, "audit", 1280);
});
