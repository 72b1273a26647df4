/**
 * The UI performance measurement (tests/ui/perf.ts) in Debian's Chromium: `bash scripts/test-ui.sh
 * --perf`, part of `npm run bench`. It starts its own service and JupyterLab (no global setup).
 */
import * as path from "node:path";
import { defineConfig } from "@playwright/test";
import { CHROMIUM, CHROMIUM_ARGS, RESULTS, VIEWPORT } from "./support/paths";

export default defineConfig({
  testDir: __dirname,
  testMatch: /perf\.ts$/,
  outputDir: path.join(RESULTS, "perf-artifacts"),
  workers: 1,
  retries: 0,
  timeout: 600_000,
  expect: { timeout: 120_000 },
  reporter: [["list"]],
  use: {
    browserName: "chromium",
    headless: true,
    viewport: VIEWPORT,
    deviceScaleFactor: 1,
    actionTimeout: 60_000,
    navigationTimeout: 120_000,
    launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS },
  },
});
