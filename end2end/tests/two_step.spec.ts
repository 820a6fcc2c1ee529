import { Page, TestInfo } from "@playwright/test";
import { createHmac } from "crypto";
import { expect, test } from "./fixtures";
import { expectAxeClean, expectNoSidewaysScroll, screenshot, waitForHydration } from "./helpers";

// Two-step sign-in as a person does it, with JavaScript and without: set it up from the
// account page with an authenticator app (computed here, RFC 6238, from the key the page
// shows), see the recovery codes once, then sign in with a code and with a recovery code.
// Every page and state is axe-clean and readable at 320 px. Each project uses a person no other
// spec signs in as, so nobody else's sign-in changes.

const PASSWORD = "forth-valley-demo";
const PERSON: Record<string, string> = {
  js: "stirling.contributor@example.org",
  "no-js": "falkirk.contributor@example.org",
};

/** RFC 4648 base32, as the page shows the key (spaces ignored). */
function base32(text: string): Buffer {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const c of text.replace(/\s+/g, "")) {
    const i = alphabet.indexOf(c);
    if (i < 0) throw new Error(`not base32: ${c}`);
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** What an authenticator app shows for `step` (30-second steps since 1970). */
function code(secret: Buffer, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac("sha1", secret).update(counter).digest();
  const offset = mac[mac.length - 1] & 15;
  return ((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).toString().padStart(6, "0");
}

const stepNow = () => Math.floor(Date.now() / 1000 / 30);

async function check(page: Page, info: TestInfo, what: string) {
  await expectAxeClean(page, info, what);
  await page.setViewportSize({ width: 320, height: 800 });
  await expectNoSidewaysScroll(page, what);
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function password(page: Page, info: TestInfo, email: string) {
  await page.goto("/sign-in?next=/me");
  await waitForHydration(page, info);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function signOut(page: Page, info: TestInfo) {
  await page.goto("/account");
  await waitForHydration(page, info);
  await page.getByRole("button", { name: "Sign out" }).first().click();
  await page.waitForURL((url) => url.pathname === "/");
}

test("two-step sign-in: set up with an app, then a code or a recovery code after the password", async ({ page }, info) => {
  const email = PERSON[info.project.name];
  await password(page, info, email);
  await page.waitForURL((url) => url.pathname === "/me");

  // Setting it up.
  await page.goto("/account");
  await waitForHydration(page, info);
  await expect(page.getByRole("heading", { name: "Two-step sign-in" })).toBeVisible();
  await page.getByRole("button", { name: "Set up two-step sign-in" }).click();
  await page.waitForURL((url) => url.pathname === "/account/two-step");
  await waitForHydration(page, info);
  await expect(page.getByRole("img", { name: /QR code for/ })).toBeVisible();
  await check(page, info, "setting up two-step sign-in");
  await screenshot(page, info, "two-step-setup", 1280);
  const secret = base32(await page.getByTestId("two-step-key").innerText());
  expect(secret.length).toBe(20);

  // A wrong code is refused with a message by the field, and nothing changes.
  const now = code(secret, stepNow());
  await page.getByLabel("Code from the app").fill(now === "000000" ? "111111" : "000000");
  await page.getByLabel("Your current password").fill(PASSWORD);
  await page.getByRole("button", { name: "Turn on two-step sign-in" }).click();
  await expect(page.getByText("That code is not right")).toBeVisible();
  await check(page, info, "a refused code while setting up");

  await page.getByLabel("Code from the app").fill(code(secret, stepNow()));
  await page.getByLabel("Your current password").fill(PASSWORD);
  await page.getByRole("button", { name: "Turn on two-step sign-in" }).click();
  await page.waitForURL((url) => url.pathname === "/account");
  const codes = page.getByTestId("recovery-codes").locator("li");
  await expect(codes).toHaveCount(10);
  const recovery = await codes.first().innerText();
  expect(recovery).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
  await expect(page.getByTestId("two-step-on")).toContainText("10 recovery codes left");
  await check(page, info, "recovery codes, shown once");
  await screenshot(page, info, "two-step-codes", 1280);

  // Signing in: the password, then a code the app shows now (the one used to turn it on
  // cannot be used again, so the next step's, which is accepted as well).
  await signOut(page, info);
  await password(page, info, email);
  await page.waitForURL((url) => url.pathname === "/sign-in/code");
  await waitForHydration(page, info);
  await check(page, info, "the code after the password");
  expect((await page.goto("/me"))?.status(), "a matched password alone signs nobody in").toBe(401);
  await page.goto("/sign-in/code");
  await waitForHydration(page, info);
  await page.getByRole("textbox", { name: "Code" }).fill("12");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Enter the 6-digit code from your authenticator app")).toBeVisible();
  await check(page, info, "a malformed code");
  await page.getByRole("textbox", { name: "Code" }).fill(code(secret, stepNow() + 1));
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname === "/me");

  // A recovery code signs in once.
  await signOut(page, info);
  await password(page, info, email);
  await page.waitForURL((url) => url.pathname === "/sign-in/code");
  await waitForHydration(page, info);
  await page.getByRole("textbox", { name: "Code" }).fill(recovery.toUpperCase());
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname === "/me");
  await expect(page.getByText("You signed in with a recovery code")).toContainText("9 left");
  await page.goto("/account");
  await expect(page.getByTestId("two-step-on")).toContainText("9 recovery codes left");
});
