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
  page: async ({ page, cspViolations }, use, info) => {
    watchCsp(page, cspViolations);
    otherPages.length = 0;
    // What the browser said and what never arrived, printed when a test fails: a page that
    // does not hydrate (a panic, a script that did not load) says why in the report.
    const heard: string[] = [];
    const started = Date.now();
    const at = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
    page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") heard.push(`${at()} console ${m.type()}: ${m.text()}`); });
    page.on("pageerror", (e) => heard.push(`${at()} page error: ${e.message}`));
    page.on("requestfailed", (r) => heard.push(`${at()} request failed: ${r.url()} ${r.failure()?.errorText ?? ""}`));
    // Requests still waiting when the test ends (one that never finished never reports).
    const pending = new Map<import("@playwright/test").Request, number>();
    page.on("request", (r) => pending.set(r, Date.now()));
    page.on("requestfailed", (r) => pending.delete(r));
    page.on("requestfinished", (r) => pending.delete(r));
    page.on("requestfinished", async (r) => {
      const timing = r.timing();
      if (timing.responseEnd > 2_000 && !r.url().includes("/live")) heard.push(`${at()} slow request: ${r.url()} took ${Math.round(timing.responseEnd)} ms`);
    });
    await use(page);
    for (const [r, since] of pending) {
      if (!r.url().includes("/live")) heard.push(`still waiting at the end: ${r.url()} for ${Date.now() - since} ms`);
    }
    if (info.status !== info.expectedStatus && heard.length) console.log(`what the browser reported in "${info.title}":\n  ${heard.join("\n  ")}`);
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
