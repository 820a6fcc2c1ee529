import { Page, TestInfo } from "@playwright/test";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expect, test } from "./fixtures";
import { expectAxeClean, screenshot, waitForHydration } from "./helpers";

// The quarterly cycle in a real browser, with JavaScript and without: a lead officer adds a
// risk, closes last quarter from the committee page and downloads the COG report as a PDF
// whose every page carries the running header, exceptions first.

const PASSWORD = "forth-valley-demo";
// Each project a committee of its own, so neither run sees the other's closing.
const WHO = {
  js: { committee: "stirling", name: "Stirling Child Protection Committee", lead: "stirling.lead@example.org" },
  "no-js": { committee: "falkirk", name: "Falkirk Child Protection Committee", lead: "falkirk.lead@example.org" },
} as const;

async function signIn(page: Page, info: TestInfo, email: string, next: string) {
  await page.goto(`/sign-in?next=${encodeURIComponent(next)}`);
  await waitForHydration(page, info);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname === next);
  await waitForHydration(page, info);
}

test("a lead officer closes a quarter and has the COG report as HTML and PDF in three clicks", async ({ page }, info) => {
  test.setTimeout(120_000);
  const who = WHO[info.project.name as keyof typeof WHO];
  const committeePage = `/committees/${who.committee}`;
  await signIn(page, info, who.lead, committeePage);

  // The register first: a risk above its target, scored in words and numbers.
  await page.getByRole("link", { name: "Risk register", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Risk register");
  await waitForHydration(page, info);
  const reference = `E${Date.now().toString(36).slice(-6)}`;
  const form = page.locator("form", { has: page.getByRole("button", { name: "Add to the register" }) });
  await form.getByLabel("Reference").fill(reference);
  await form.getByLabel("Risk", { exact: true }).fill("Chronologies are not shared between agencies");
  await form.getByLabel("Description").fill("Each agency keeps its own chronology of a child's history.");
  await form.getByLabel("Cause").fill("No shared system");
  await form.getByLabel("Consequence").fill("Patterns of concern are missed");
  await form.getByLabel("Owner").fill("Lead Officer");
  await form.getByLabel("Controls in place").fill("Case conferences share summaries");
  await form.getByLabel("Likelihood").selectOption("4");
  await form.getByLabel("Impact").selectOption("4");
  await form.getByLabel("Target score").fill("6");
  await form.getByRole("button", { name: "Add to the register" }).click();
  await expect(page.locator(".flash-success")).toContainText(`Added risk ${reference}`);
  await expect(page.locator(".risk-details")).toContainText("16 · Very high");
  await expectAxeClean(page, info);
  await page.goto(`${committeePage}/risks`);
  await expect(page.locator(".heat-map")).toBeVisible();
  await expectAxeClean(page, info);
  await screenshot(page, info, "risk-register", 1280);
  await screenshot(page, info, "risk-register", 375);

  // Click 1: the committee page's "Quarterly reports". Click 2: close last quarter (the
  // second row: this quarter is first). A run before this one may have closed it already:
  // then it is closed again, with a reason, from its report.
  await page.goto(committeePage);
  await page.getByRole("link", { name: "Quarterly reports", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Quarterly reports");
  await waitForHydration(page, info);
  await expectAxeClean(page, info);
  const row = page.locator(".periods-table tbody tr").nth(1);
  const label = (await row.locator("th").innerText()).trim();
  const close = row.getByRole("button", { name: /Close .* and freeze its report/ });
  if (await close.count()) {
    await close.click();
  } else {
    await row.getByRole("link", { name: "COG report" }).click();
    await waitForHydration(page, info);
    await page.getByLabel("Why it is closed again").fill("Closed again by the end-to-end run");
    await page.getByRole("button", { name: "Close again and replace the report" }).click();
  }
  await expect(page.locator(".flash-success")).toContainText(`Closed ${label}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`Chief Officers Group report: ${who.name}, ${label}`);
  await expect(page.getByTestId("running-header")).toContainText("Reported on");

  // Exceptions before the whole plan, and the new risk among the risks above target.
  const order = await page.evaluate(() => {
    const at = (id: string) => {
      const el = document.getElementById(id);
      return el ? Array.from(document.querySelectorAll("h2")).indexOf(el as HTMLHeadingElement) : -1;
    };
    return { exceptions: at("exceptions-heading"), whole: at("plan-heading") };
  });
  expect(order.exceptions).toBeGreaterThanOrEqual(0);
  expect(order.exceptions).toBeLessThan(order.whole);
  await expect(page.locator("#risk-exceptions-heading + div")).toContainText(reference);
  await expectAxeClean(page, info);
  await screenshot(page, info, "cog-report", 1280);
  await screenshot(page, info, "cog-report", 375);
  await page.emulateMedia({ media: "print" });
  await screenshot(page, info, "cog-report-print", 1280);
  await page.emulateMedia({ media: "screen" });

  // Click 3: the PDF, made on the server from this page.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("report-pdf").click()]);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "fv-e2e-")), "report.pdf");
  await download.saveAs(file);
  expect(fs.readFileSync(file).subarray(0, 4).toString()).toBe("%PDF");
  const text = execFileSync("pdftotext", ["-layout", file, "-"]).toString();
  const pages = text.split("\f").filter((p) => p.trim().length > 0);
  expect(pages.length).toBeGreaterThan(1);
  for (const [n, p] of pages.entries()) {
    expect(p.includes(who.name) && p.includes(label) && p.includes("Reported on"), `page ${n + 1} carries the running header`).toBe(true);
  }
  expect(text.indexOf("Exceptions")).toBeGreaterThanOrEqual(0);
  expect(text.indexOf("Exceptions")).toBeLessThan(text.indexOf("The whole plan"));
  expect(text).not.toContain("Skip to main content");
  fs.rmSync(path.dirname(file), { recursive: true, force: true });

  // Anyone reads the plan's public summary of that quarter: counts and reasons, no register.
  const anonymous = await page.context().browser()!.newContext({ javaScriptEnabled: info.project.name === "js" });
  const reader = await anonymous.newPage();
  await reader.goto(`${committeePage}/plans/2024-26`);
  await reader.getByRole("link", { name: "Latest quarterly summary" }).click();
  await expect(reader.getByRole("heading", { level: 1 })).toContainText(label);
  await expect(reader.getByTestId("summary-counts")).toContainText(`At the end of ${label}, of the plan's`);
  await expect(reader.locator("main")).not.toContainText(reference);
  await expectAxeClean(reader, info);
  await screenshot(reader, info, "public-summary", 1280);
  await screenshot(reader, info, "public-summary", 375);
  await anonymous.close();
});

test("a lead officer imports an existing risk register, checked row by row, then reads the Forth Valley report", async ({ page }, info) => {
  test.setTimeout(120_000);
  const who = WHO[info.project.name as keyof typeof WHO];
  const register = `/committees/${who.committee}/risks`;
  await signIn(page, info, who.lead, register);
  await page.getByRole("link", { name: "Import risks from a file (CSV or Excel)" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Import risks from a file");
  await expectAxeClean(page, info);

  // A register as kept in a spreadsheet, one row wrong: the preview names row and column.
  const tag = Date.now().toString(36).slice(-5).toUpperCase();
  const rows = (likelihood: string) =>
    `Risk ref,Risk,Risk owner,L,I,Target,Next review,RAG\n` +
    `I${tag}1,Agencies do not share chronologies,Lead Officer,4 - Likely,Major,6,31/03/2027,Red\n` +
    `I${tag}2,Training is not refreshed,Training subgroup,${likelihood},Moderate,4,,Amber\n`;
  const file = (likelihood: string) => ({ name: "our-register.csv", mimeType: "text/csv", buffer: Buffer.from(rows(likelihood)) });
  await page.getByLabel("Risk register file (CSV or .xlsx)").setInputFiles(file("Often"));
  await page.getByRole("button", { name: "Upload and check" }).click();
  await expect(page.getByTestId("import-problems")).toContainText('row 3, column Likelihood: "Often" is not accepted');
  await expect(page.getByTestId("ignored-columns")).toContainText('"RAG"');
  await expectAxeClean(page, info);
  await screenshot(page, info, "risk-import-problems", 1280);

  await page.getByLabel("Risk register file (CSV or .xlsx)").setInputFiles(file("Possible"));
  await page.getByRole("button", { name: "Upload and check again" }).click();
  await expect(page.getByRole("heading", { name: "Ready to import" })).toBeVisible();
  await waitForHydration(page, info);
  await page.getByRole("button", { name: "Add 2 risks to the register" }).click();
  await page.waitForURL((url) => url.pathname === register);
  await expect(page.locator(".flash-success")).toContainText("Imported 2 risks from our-register.csv");
  await expect(page.locator(".risk-table")).toContainText("Agencies do not share chronologies");
  await expect(page.locator(".risk-table")).toContainText("16 · Very high");

  // The regional report, from the committee's quarterly reports.
  await page.goto(`/committees/${who.committee}/periods`);
  await page.getByRole("link", { name: "Forth Valley report" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Forth Valley report");
  await expect(page.getByRole("heading", { name: "Exceptions by committee" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Protocol ratifications" })).toBeVisible();
  await expectAxeClean(page, info);
  await screenshot(page, info, "forth-valley-report", 1280);
  await screenshot(page, info, "forth-valley-report", 375);
});
