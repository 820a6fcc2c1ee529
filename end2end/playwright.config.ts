import { defineConfig } from "@playwright/test";

// Debian's Chromium, never a downloaded browser. The flags keep it off the network, which
// this machine does not have.
const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: process.env.E2E_BASE_URL ?? "https://127.0.0.1:3443",
    // scripts/test runs through nginx with a self-signed certificate made for the run.
    ignoreHTTPSErrors: true,
    launchOptions: chromium,
    trace: "off",
  },
  projects: [
    { name: "js", use: { javaScriptEnabled: true } },
    // Live status needs JavaScript; without it pages are as rendered (every other spec).
    { name: "no-js", use: { javaScriptEnabled: false }, testIgnore: /live\.spec\.ts/ },
  ],
});
