/**
 * UI tests of the JupyterLab extension in a real JupyterLab (the project's .venv) against a real
 * playground service, in Debian's Chromium: Playwright never downloads a browser here.
 *
 *   bash scripts/test-ui.sh                      (or: npx playwright test -c tests/ui)
 *   bash scripts/test-ui.sh --update-screenshots copies the run's screenshots to docs/screenshots/
 */
import * as path from "node:path";
import { defineConfig } from "@playwright/test";
import { CHROMIUM, CHROMIUM_ARGS, RESULTS, VIEWPORT } from "./support/paths";

export default defineConfig({
  testDir: __dirname,
  testMatch: /.*\.spec\.ts$/,
  outputDir: path.join(RESULTS, "artifacts"),
  globalSetup: require.resolve("./global-setup"),
  // One JupyterLab, one journey through it: one worker, in order. A flaky test is fixed, not retried.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: !!process.env.CI,
  // Generous: two shared cores run JupyterLab, a kernel, the service and Chromium at once.
  timeout: 300_000,
  expect: { timeout: 60_000 },
  reporter: [["list"], ["html", { outputFolder: path.join(RESULTS, "report"), open: "never" }]],
  use: {
    browserName: "chromium",
    headless: true,
    viewport: VIEWPORT,
    deviceScaleFactor: 1,
    colorScheme: "light",
    actionTimeout: 30_000,
    navigationTimeout: 120_000,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS },
  },
});
