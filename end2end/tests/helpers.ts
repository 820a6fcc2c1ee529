import { Page, TestInfo, expect } from "@playwright/test";
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
export async function expectNoSidewaysScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

/** With JavaScript on, waits until the WASM has hydrated the page. */
export async function waitForHydration(page: Page, info: TestInfo) {
  if (info.project.name !== "js") return;
  await page.locator("html[data-hydrated]").waitFor({ state: "attached", timeout: 15_000 });
}
