/**
 * One researcher's journey through the DQM Playground in JupyterLab, in order and in one page: the
 * sidebar, a run's heatmap, a lumisection over the reference, the leaderboard and the task page, a
 * submission from a tslab notebook cell that shows up in the open leaderboard without a reload, and
 * screenshots of each panel in the light and the dark theme.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import {
  activateTab,
  command,
  DARK,
  expectDrawn,
  LIGHT,
  openLab,
  waitForOutput,
  screenshot,
  setTheme,
} from "./support/lab";
import { ENV, required, VIEWPORT } from "./support/paths";

const DATASET = "demo-2018-small";
const ME = "PixelPhase1/Tracks/PXBarrel/charge_PXLayer_1";
/** A run with certification labels (in the tasks' train split): lumisections 9-36, the last six bad. */
const RUN = 320039;
const FIRST_LS = 9;
const LAST_LS = 36;
/** The designated reference run nearest before RUN: the run view's default reference. */
const REFERENCE = 320010;
const TASK = "pixel-2018-charge";
const BASELINES = ["Random scores (baseline)", "Chi-square to the reference run (baseline)"];
/** The submission's method (each run has a fresh service home, so it is new there). */
const METHOD = "ui-test random scores";
const NOTEBOOK = "ui-submission.ipynb";

test.describe.configure({ mode: "serial" });

let page: Page;
/** Pixel digests of the charts drawn in the light theme (the dark ones must differ). */
const lightCharts = new Map<string, string>();

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage({ viewport: VIEWPORT, deviceScaleFactor: 1 });
  await openLab(page);
  // Marks this page load: a reload would lose it.
  await page.evaluate(() => ((window as unknown as { dqmUiTest: string }).dqmUiTest = "no reload"));
});

test.afterAll(async () => {
  await page?.close();
});

const browserPanel = () => page.getByTestId("dqm-browser");
const runView = () => page.getByTestId("dqm-run-view");
const leaderboard = () => page.getByTestId("dqm-leaderboard");
const taskView = () => page.getByTestId("dqm-task-view");
const tableRow = (table: string, key: string | number) =>
  page.locator(`[data-testid="${table}"] .dqm-table-row[data-key="${key}"]`);
const methodRow = (method: string) =>
  leaderboard()
    .locator('[data-testid="dqm-leaderboard-table"] .dqm-table-row')
    .filter({ has: page.locator('[data-column="method"]', { hasText: method }) });

test("the sidebar lists the demo data set, its monitor elements, runs and tasks", async () => {
  await page.locator('.jp-SideBar .lm-TabBar-tab[data-id="dqm-playground-browser"]').click();
  await expect(browserPanel()).toBeVisible();
  await expect(page.getByTestId("dqm-dataset-select")).toHaveValue(DATASET);
  await expect(page.getByTestId("dqm-dataset-info")).toContainText("10 monitor elements");
  await expect(page.getByTestId("dqm-run-count")).toHaveText("(50)");
  await expect(tableRow("dqm-me-table", ME)).toBeVisible();
  await expect(page.getByTestId(`dqm-task-${TASK}`)).toBeVisible();
});

test("a run opens from the browser and its lumisection-by-bin heatmap is drawn", async () => {
  await tableRow("dqm-me-table", ME).click();
  await expect(tableRow("dqm-me-table", ME)).toHaveAttribute("aria-selected", "true");
  await page.getByTestId("dqm-run-search").fill(String(RUN));
  await expect(page.getByTestId("dqm-run-count")).toHaveText("(1 of 50)");
  await tableRow("dqm-run-table", RUN).click();
  await page.getByTestId("dqm-open-run").click();

  await expect(runView()).toBeVisible();
  await expect(page.getByTestId("dqm-run-summary")).toContainText(
    `${DATASET} · run ${RUN} · ${LAST_LS - FIRST_LS + 1} lumisections`,
  );
  await expect(page.getByTestId("dqm-run-me-select")).toHaveValue(ME);
  await expect(
    runView().locator('[data-testid="dqm-lumisection-table"] .dqm-table-row').first(),
  ).toBeVisible();
  const heatmap = await expectDrawn(runView().getByTestId("dqm-heatmap"));
  expect(heatmap.height).toBeGreaterThan(200);
  await page.getByTestId("dqm-run-search").fill("");
});

test("a lumisection is overlaid on the reference run's mean", async () => {
  await expect(page.getByTestId("dqm-reference-select")).toHaveValue(String(REFERENCE));
  const overlay = runView().getByTestId("dqm-overlay");
  const first = await expectDrawn(overlay);
  await expect(page.getByTestId("dqm-overlay-note")).toContainText(
    new RegExp(`Reference( \\([^)]*\\))?: mean of \\d+ good lumisections of run ${REFERENCE}`),
  );

  // A click on another lumisection of the list: the overlay is drawn for it.
  const table = runView().getByTestId("dqm-lumisection-table");
  const selectedRow = table.locator('.dqm-table-row[aria-selected="true"]');
  await expect(selectedRow).toHaveAttribute("data-key", String(FIRST_LS));
  await tableRow("dqm-lumisection-table", FIRST_LS + 1).click();
  await expect(selectedRow).toHaveAttribute("data-key", String(FIRST_LS + 1));
  const second = await expectDrawn(overlay, first.digest);
  await expect(page.getByTestId("dqm-overlay-note")).toContainText(`run ${REFERENCE}`);

  // A click in the heatmap selects the lumisection under the pointer (in the middle of the run).
  const heatmap = runView().getByTestId("dqm-heatmap").locator("canvas").first();
  const box = (await heatmap.boundingBox())!;
  await heatmap.click({ position: { x: box.width * 0.8, y: box.height * 0.5 } });
  await expect(selectedRow).not.toHaveAttribute("data-key", String(FIRST_LS + 1));
  const third = await expectDrawn(overlay, second.digest);

  // The keyboard: End selects the last lumisection, certified bad.
  await table.focus();
  await page.keyboard.press("End");
  await expect(selectedRow).toHaveAttribute("data-key", String(LAST_LS));
  await expect(selectedRow.locator('[data-column="label"]')).toHaveText("bad");
  await expectDrawn(overlay, third.digest);
});

test("the leaderboard of the task lists the baselines, and its task page the splits", async () => {
  await page.getByTestId(`dqm-task-${TASK}`).click();
  await expect(leaderboard()).toBeVisible();
  await expect(page.getByTestId("dqm-task-select")).toHaveValue(TASK);
  for (const method of BASELINES) await expect(methodRow(method)).toHaveClass(/dqm-mod-baseline/);
  await expect(methodRow(METHOD)).toHaveCount(0);

  // Two rows selected: their metrics compared in one chart.
  for (const method of BASELINES) await methodRow(method).click();
  await expect(page.getByTestId("dqm-compare-hint")).toHaveText("2 selected");
  await expectDrawn(leaderboard().getByTestId("dqm-comparison-chart"));

  await page.getByTestId("dqm-open-task").click();
  await expect(taskView()).toBeVisible();
  const facts = page.getByTestId("dqm-task-facts");
  await expect(facts).toContainText(TASK);
  await expect(facts).toContainText("Test sha256");
  await expect(facts.locator("dd.dqm-hash").first()).toHaveText(/^[0-9a-f]{64}$/);
  await expect(page.getByTestId("dqm-task-description")).not.toBeEmpty();
});

test("a submission from a tslab notebook cell appears in the open leaderboard without a reload", async () => {
  // A new TypeScript notebook, below the leaderboard so that both stay visible.
  const notebooks = required(ENV.notebooks);
  fs.writeFileSync(
    path.join(notebooks, NOTEBOOK),
    JSON.stringify({
      cells: [{ cell_type: "code", source: "", metadata: {}, outputs: [], execution_count: null }],
      metadata: {
        kernelspec: { name: "tslab", display_name: "TypeScript (tslab)", language: "typescript" },
        language_info: { name: "typescript" },
      },
      nbformat: 4,
      nbformat_minor: 5,
    }),
  );
  await activateTab(page, `Leaderboard: ${TASK}`);
  await command(page, "docmanager:open", {
    path: NOTEBOOK,
    factory: "Notebook",
    kernel: { name: "tslab" },
    options: { mode: "split-bottom" },
  });
  await expect(page.locator(".jp-NotebookPanel")).toHaveCount(1);
  await expect(leaderboard()).toBeVisible();

  const source = [
    'import * as dqm from "@dqm-playground/kernel";',
    // One await per statement: tslab cannot compile `await (await a()).b()`.
    "const pg = await dqm.connect();",
    `const task = await pg.task("${TASK}");`,
    'const test = await task.load("test");',
    "const scores = Float32Array.from({ length: test.numRows }, (_, i) => ((i * 7919) % 101) / 100);",
    `const result = await task.submit(scores, { method: "${METHOD}" });`,
    "console.log(`UI test: submission ${result.id} ${result.submission.status}, rank ${result.rank} of ${result.of}`);",
  ].join("\n");
  // The kernel first: a cell run before the kernel is connected is not executed.
  await expect(
    page.locator('.jp-NotebookPanel .jp-Notebook-ExecutionIndicator[data-status="idle"]'),
  ).toHaveCount(1, { timeout: 120_000 });
  const cell = page.locator(".jp-NotebookPanel .jp-Cell").first();
  const editor = cell.locator(".cm-content");
  await editor.click();
  await page.keyboard.insertText(source);
  await expect(editor).toContainText(METHOD);
  await page.keyboard.press("Shift+Enter");

  // The kernel compiles the cell, loads the test split and submits: a while on a busy machine.
  await waitForOutput(cell, /UI test: submission \d+ scored/, 240_000);

  // The leaderboard, open all along, shows the new row by itself; the page was not reloaded.
  await expect(methodRow(METHOD)).toBeVisible({ timeout: 90_000 });
  await expect(methodRow(METHOD)).toHaveClass(/dqm-mod-mine/);
  expect(await page.evaluate(() => (window as unknown as { dqmUiTest?: string }).dqmUiTest)).toBe(
    "no reload",
  );
  await page.keyboard.press("Escape");
  await cell.locator(".cm-scroller").evaluate((el) => el.scrollTo(0, 0));
  await screenshot(page.locator("#jp-main-dock-panel"), "notebook-submission-light");

  // Close the notebook and shut its kernel down (the dialog asks first).
  await page.evaluate(() => {
    const app = (window as unknown as { jupyterapp: { commands: { execute(id: string): Promise<unknown> } } })
      .jupyterapp;
    void app.commands.execute("notebook:close-and-shutdown");
  });
  await page.locator(".jp-Dialog .jp-mod-accept").click();
  await expect(page.locator(".jp-NotebookPanel")).toHaveCount(0);
});

test("screenshots of each panel in the light and the dark theme", async () => {
  for (const theme of [LIGHT, DARK]) {
    const suffix = theme === DARK ? "dark" : "light";
    if (theme === DARK) await setTheme(page, DARK);
    await expect(page.locator("body")).toHaveAttribute("data-jp-theme-name", theme);

    await screenshot(page.locator("#dqm-playground-browser"), `sidebar-${suffix}`);

    await activateTab(page, `Run ${RUN}`);
    // In the dark theme the charts must have been drawn again, in its colours.
    for (const chart of ["dqm-heatmap", "dqm-overlay"]) {
      const state = await expectDrawn(runView().getByTestId(chart), lightCharts.get(chart));
      if (theme === LIGHT) lightCharts.set(chart, state.digest);
    }
    await screenshot(runView(), `run-view-${suffix}`);

    await activateTab(page, `Leaderboard: ${TASK}`);
    await expect(methodRow(METHOD)).toBeVisible();
    const compare = leaderboard().getByTestId("dqm-comparison-chart");
    const state = await expectDrawn(compare, lightCharts.get("compare"));
    if (theme === LIGHT) lightCharts.set("compare", state.digest);
    await screenshot(leaderboard(), `leaderboard-${suffix}`);

    await activateTab(page, `Task: ${TASK}`);
    await expect(page.getByTestId("dqm-task-facts")).toBeVisible();
    await screenshot(taskView(), `task-${suffix}`);
  }
});
