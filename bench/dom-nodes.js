// Elements on a page in Debian's Chromium (headless, through the puppeteer-core that
// Lighthouse brings): with JavaScript on, once the WASM has hydrated (html[data-hydrated]), and
// with JavaScript off (the server's HTML alone). Also the deepest nesting and the most children
// of one element, as Lighthouse's DOM-size audit counts them, and how long hydration took.
// Usage: node dom-nodes.js URL [COOKIE]
// Prints one line, and "DOM js=N nojs=N" for scripts.
const puppeteer = require("puppeteer-core");

const [url, cookie] = process.argv.slice(2);

function stats() {
  const all = document.getElementsByTagName("*");
  let depth = 0;
  let children = 0;
  for (const el of all) {
    children = Math.max(children, el.childElementCount);
    let d = 0;
    for (let e = el; e.parentElement; e = e.parentElement) d++;
    depth = Math.max(depth, d);
  }
  return { elements: all.length, depth, children, hydrated: document.documentElement.hasAttribute("data-hydrated") };
}

async function count(browser, javascript) {
  const page = await browser.newPage();
  await page.setJavaScriptEnabled(javascript);
  if (cookie) await page.setExtraHTTPHeaders({ Cookie: cookie });
  const started = Date.now();
  await page.goto(url, { waitUntil: "load", timeout: 60_000 });
  if (javascript) {
    await page.waitForSelector("html[data-hydrated]", { timeout: 30_000 });
    // The attribute is set as the WASM starts; the islands hydrate just after: let that finish.
    await page.evaluate(() => new Promise((done) => requestIdleCallback(() => done(), { timeout: 5_000 })));
  }
  const hydratedAfter = Date.now() - started;
  const s = await page.evaluate(stats);
  await page.close();
  return { ...s, ms: hydratedAfter };
}

(async () => {
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  try {
    const js = await count(browser, true);
    const nojs = await count(browser, false);
    console.log(
      `  DOM elements: ${js.elements} with JavaScript, after hydration (hydrated ${js.ms} ms after navigation began, unthrottled); ` +
        `${nojs.elements} without; deepest ${js.depth}, most children of one element ${js.children}`,
    );
    console.log(`DOM js=${js.elements} nojs=${nojs.elements}`);
  } finally {
    await browser.close();
  }
})().catch((e) => {
  console.error(`dom-nodes: ${e.message}`);
  process.exit(1);
});
