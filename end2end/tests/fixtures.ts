import { test as base, expect, Page } from "@playwright/test";

/**
 * Every spec's `test`: the page fails its test on any Content-Security-Policy violation the
 * browser reports (an inline script, style or resource the policy blocks), so the suite runs
 * the app under its real policy and proves the islands satisfy it.
 */
export const test = base.extend<{ cspViolations: string[] }>({
  cspViolations: async ({}, use) => {
    await use([]);
  },
  page: async ({ page, cspViolations }, use) => {
    watchCsp(page, cspViolations);
    otherPages.length = 0;
    await use(page);
    expect([...cspViolations, ...otherPages], "Content-Security-Policy violations").toEqual([]);
  },
});

/** Violations of pages a test opens in contexts of its own (see `watchCsp`). */
export const otherPages: string[] = [];

/** Collects the CSP violations `page` reports into `into`: by default with the test's own, for
 * pages of contexts a test makes itself. */
export function watchCsp(page: Page, into: string[] = otherPages) {
  page.on("console", (message) => {
    const text = message.text();
    if (/Content Security Policy|Refused to (load|execute|apply|run|connect|frame)/i.test(text)) into.push(text);
  });
  page.on("pageerror", (error) => {
    if (/Content Security Policy/i.test(error.message)) into.push(error.message);
  });
}

export { expect };
