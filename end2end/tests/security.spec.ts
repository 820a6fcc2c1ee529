import { expect, test } from "./fixtures";
import { waitForHydration } from "./helpers";

const PASSWORD = "forth-valley-demo";

async function signInFrom(page: import("@playwright/test").Page, info: import("@playwright/test").TestInfo, next: string) {
  await page.goto(`/sign-in?next=${encodeURIComponent(next)}`);
  await waitForHydration(page, info);
  await page.getByLabel("Email address").fill("clacks.member@example.org");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
}

// Signing in with a return address that would leave the site lands on the overview, here.
test("a sign-in link that would send people off-site brings them to the overview", async ({ page }, info) => {
  await page.goto("/");
  const here = new URL(page.url()).host;
  for (const next of ["//evil.example/", "/\\evil.example/", "https://evil.example/"]) {
    await signInFrom(page, info, next);
    await page.waitForURL((url) => url.pathname === "/");
    expect(new URL(page.url()).host).toBe(here);
    await page.getByRole("button", { name: "Sign out" }).first().click();
    await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  }
  // A control character in the address (a tab would make "/\t/evil" read as "//evil") is not
  // an address any page here uses: refused before any form is shown.
  const refused = await page.goto(`/sign-in?next=${encodeURIComponent("/\t/evil.example/")}`);
  expect(refused?.status()).toBe(400);
  await expect(page.getByRole("heading", { name: "Address not understood" })).toBeVisible();
});

// Were a form's answer ever to redirect to another site, nothing of that site may get into
// our page (its script would run on our origin): the enhanced form fetches same-origin only,
// and the browser itself refuses to follow a form post off the site (CSP form-action 'self').
test("a form answered by another site is never put into the page", async ({ page, cspViolations }, info) => {
  await page.route("http://evil.test/**", (route) =>
    route.fulfill({
      status: 200,
      headers: { "content-type": "text/html", "access-control-allow-origin": "*" },
      body: '<!doctype html><title>Elsewhere</title><p id="elsewhere">another site</p>',
    }),
  );
  await page.route("**/api/sign_in", (route) =>
    route.fulfill({ status: 303, headers: { location: "http://evil.test/landing" } }),
  );
  await page.goto("/sign-in");
  const origin = new URL(page.url()).origin;
  await waitForHydration(page, info);
  await page.getByLabel("Email address").fill("clacks.member@example.org");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect.poll(() => cspViolations.some((v) => v.includes("form-action"))).toBe(true);
  expect(new URL(page.url()).origin).toBe(origin);
  await expect(page.locator("#elsewhere")).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  // The one violation is the browser refusing the redirect, which is the point.
  expect(cspViolations.every((v) => v.includes("form-action 'self'"))).toBe(true);
  cspViolations.length = 0;
});
