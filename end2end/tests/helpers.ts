import AxeBuilder from "@axe-core/playwright";
import { BrowserContext, Page, TestInfo, expect } from "@playwright/test";
import * as fs from "fs";
import * as path from "path";

export const SCREENSHOT_DIR = path.join(__dirname, "..", "screenshots");

/** Saves a full-page screenshot at the given width, named by project, page and width. */
export async function screenshot(page: Page, info: TestInfo, name: string, width: number) {
  await page.setViewportSize({ width, height: 900 });
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({
    path: path.join(SCREENSHOT_DIR, `${info.project.name}-${name}-${width}.png`),
    fullPage: true,
  });
}

/** Nothing may scroll sideways: a phone reads the plan as cards. */
export async function expectNoSidewaysScroll(page: Page, what = new URL(page.url()).pathname, soft = false) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  (soft ? expect.soft : expect)(overflow, `${what} scrolls sideways by ${overflow} px`).toBeLessThanOrEqual(0);
}

/** With JavaScript on, waits until the WASM has hydrated the page. */
export async function waitForHydration(page: Page, info: TestInfo) {
  if (info.project.name !== "js") return;
  await page.locator("html[data-hydrated]").waitFor({ state: "attached", timeout: 15_000 });
}

/** The tags axe checks: WCAG 2.0, 2.1 and 2.2, levels A and AA. */
export const WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/**
 * Fails on any WCAG 2.2 A or AA violation axe finds on the page as it is now. Without
 * JavaScript (the no-js project) axe cannot run in the page itself, so the page's HTML, as
 * the browser has it, is shown again at the same address in a context where axe may run but
 * the app's own scripts are blocked: the same document, styled by the same CSS, unhydrated.
 */
export async function expectAxeClean(page: Page, info: TestInfo, what: string = new URL(page.url()).pathname) {
  let target = page;
  let context: BrowserContext | undefined;
  if (info.project.name !== "js") {
    const html = await page.content();
    const url = page.url();
    const browser = page.context().browser();
    if (!browser) throw new Error("no browser");
    context = await browser.newContext({ javaScriptEnabled: true, ignoreHTTPSErrors: true });
    target = await context.newPage();
    await target.setViewportSize(page.viewportSize() ?? { width: 1280, height: 900 });
    await target.route(/\/pkg\/.*\.(js|wasm)$/, (route) => route.abort());
    await target.route(url, (route) => route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: html }));
    await target.goto(url);
  }
  const results = await new AxeBuilder({ page: target }).withTags(WCAG_AA).analyze();
  await context?.close();
  const found = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(found, `accessibility of ${what} (${info.project.name})`).toEqual([]);
}
