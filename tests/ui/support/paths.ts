/** Where things are for the UI tests: the checkout, its programs, and what a run writes. */
import * as path from "node:path";

export const ROOT = path.resolve(__dirname, "..", "..", "..");
export const VENV = path.join(ROOT, ".venv");
export const JUPYTER = path.join(VENV, "bin", "jupyter");
export const CLI = path.join(ROOT, "server", "dist", "cli", "main.js");

/** Folders of the runs' notebooks: inside the checkout (gitignored), so that a tslab kernel started
 * there resolves `@dqm-playground/kernel` from the checkout's node_modules. */
export const WORK = path.join(ROOT, "tests", "ui", ".work");

/** What each run leaves for people to look at (gitignored; replaced by the next run). */
export const RESULTS = path.join(ROOT, "test-results", "ui");
export const SCREENSHOTS = path.join(RESULTS, "screenshots");
export const LOGS = path.join(RESULTS, "logs");

/** The committed screenshots the README shows. */
export const DOC_SCREENSHOTS = path.join(ROOT, "docs", "screenshots");

/** Debian's Chromium (never a downloaded browser); CHROMIUM_PATH overrides. */
export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/** The browser window of the tests (the screenshots' scale). */
export const VIEWPORT = { width: 1280, height: 900 };

/** The environment variables through which the global setup tells the tests where things run. */
export const ENV = {
  labUrl: "DQM_UI_LAB_URL",
  token: "DQM_UI_TOKEN",
  serviceUrl: "DQM_UI_SERVICE_URL",
  home: "DQM_UI_HOME",
  notebooks: "DQM_UI_NOTEBOOKS",
} as const;

export function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the UI tests with tests/ui/playwright.config.ts`);
  return value;
}
