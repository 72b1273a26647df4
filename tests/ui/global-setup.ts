/**
 * Starts what the UI tests drive (the playground service on a fresh demo home, JupyterLab with the
 * extension) and tells the tests where through environment variables; the function it returns is the
 * teardown. Screenshots and logs of the run go to test-results/ui/.
 */
import * as fs from "node:fs";
import { ENV, LOGS, SCREENSHOTS } from "./support/paths";
import { startStack } from "./support/stack";

export default async function globalSetup(): Promise<() => Promise<void>> {
  fs.rmSync(SCREENSHOTS, { recursive: true, force: true });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const stack = await startStack({ logs: LOGS, keep: process.env.DQM_UI_KEEP === "1" });
  process.env[ENV.labUrl] = stack.labUrl;
  process.env[ENV.token] = stack.token;
  process.env[ENV.serviceUrl] = stack.serviceUrl;
  process.env[ENV.home] = stack.home;
  process.env[ENV.notebooks] = stack.notebooks;
  console.log(`[ui] JupyterLab at ${stack.labUrl}, service at ${stack.serviceUrl}; logs in ${LOGS}`);
  return () => stack.stop();
}
