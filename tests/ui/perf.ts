/**
 * Performance of the panels in Chromium (part of `npm run bench`, through `scripts/test-ui.sh --perf`;
 * it measures and prints, it asserts nothing on time):
 *
 * - opening a run view until its heatmap is drawn, for a run of 1,000 lumisections x 100 bins ingested
 *   for the purpose (DIALS JSON Lines), next to a 28-lumisection run of the demo in the same session;
 * - a 10,000-row leaderboard: opening it until its rows show, and scrolling it from top to bottom one
 *   screenful per animation frame (frame times, rows in the DOM). The service would need 10,000 scored
 *   submissions (at most 20 per user and day), so the browser gets the task's real leaderboard
 *   response with its rows repeated to 10,000 (a Playwright route).
 *
 * Timing happens inside the page (performance.now, requestAnimationFrame), not across the test
 * protocol. Results: a table on stdout and bench-results/ui-perf.json.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { openLab } from "./support/lab";
import { CLI, ENV, LOGS, ROOT, VIEWPORT } from "./support/paths";
import { startStack, type Stack } from "./support/stack";

const PERF_DATASET = "perf-1000x100";
const PERF_RUN = 400001;
const LUMISECTIONS = 1_000;
const BINS = 100;
const ME = "PixelPhase1/Tracks/PXBarrel/charge_PXLayer_1";
const DEMO_DATASET = "demo-2018-small";
const DEMO_RUN = 320039;
const TASK = "pixel-2018-charge";
const LEADERBOARD_ROWS = 10_000;
/** Warm repetitions after the first (cold) open. */
const REPEATS = 5;

test.describe.configure({ mode: "serial" });
test.setTimeout(600_000);

let stack: Stack | null = null;
let page: Page;
const results: Array<{ measure: string; value: number; unit: string; note: string }> = [];

/** A run of LUMISECTIONS lumisections of one 100-bin monitor element, with certification, ingested. */
function ingestPerfRun(home: string, env: NodeJS.ProcessEnv): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dqm-ui-perf-"));
  try {
    let seed = 12345;
    const random = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const lines: string[] = [];
    for (let ls = 1; ls <= LUMISECTIONS; ls++) {
      const centre = 22 + 3 * Math.sin(ls / 40) + (ls > 900 ? 8 : 0);
      const data = Array.from({ length: BINS }, (_, b) =>
        Math.round(4000 * Math.exp(-(((b - centre) / 6) ** 2)) * (0.9 + 0.2 * random())),
      );
      const entries = data.reduce((a, v) => a + v, 0);
      lines.push(
        JSON.stringify({
          dataset: "/ZeroBias/Run2018-Perf/DQMIO",
          me: ME,
          run_number: PERF_RUN,
          ls_number: ls,
          x_min: 0,
          x_max: 100_000,
          x_bin: BINS,
          entries,
          data,
        }),
      );
    }
    const rows = path.join(dir, "perf.jsonl");
    fs.writeFileSync(rows, lines.join("\n") + "\n");
    const dcs = path.join(dir, "dcs.json");
    fs.writeFileSync(dcs, JSON.stringify({ [PERF_RUN]: [[1, LUMISECTIONS]] }));
    const golden = path.join(dir, "golden.json");
    fs.writeFileSync(golden, JSON.stringify({ [PERF_RUN]: [[1, 900]] }));
    for (const [format, file] of [
      ["json", rows],
      ["dcs", dcs],
      ["golden", golden],
    ]) {
      const args = [CLI, "ingest", format, file, "--dataset", PERF_DATASET, "--era", "2018"];
      const res = spawnSync(process.execPath, args, {
        cwd: ROOT,
        env: { ...env, DQM_PLAYGROUND_HOME: home },
      });
      if (res.status !== 0) throw new Error(`ingest ${format} failed: ${res.stderr?.toString() ?? ""}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test.beforeAll(async ({ browser }) => {
  stack = await startStack({
    logs: path.join(LOGS, "perf"),
    // No refreshes while scrolling is measured.
    refreshInterval: 3600,
    maxRefreshInterval: 3600,
    prepareHome: ingestPerfRun,
  });
  process.env[ENV.labUrl] = stack.labUrl;
  process.env[ENV.token] = stack.token;
  page = await browser.newPage({ viewport: VIEWPORT, deviceScaleFactor: 1 });
  await openLab(page);
});

test.afterAll(async () => {
  await page?.close();
  await stack?.stop();
  if (!results.length) return;
  const width = Math.max(...results.map((r) => r.measure.length));
  const lines = [
    `UI performance in Chromium (${os.cpus().length} cores, ${os.cpus()[0]?.model ?? "cpu"})`,
    ...results.map(
      (r) => `  ${r.measure.padEnd(width)}  ${r.value.toFixed(1).padStart(9)} ${r.unit.padEnd(6)} ${r.note}`,
    ),
  ];
  console.log(lines.join("\n"));
  const out = path.join(ROOT, "bench-results");
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(
    path.join(out, "ui-perf.json"),
    JSON.stringify({ date: new Date().toISOString(), cpus: os.cpus().length, results }, null, 2),
  );
});

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Milliseconds from executing the open-run command to the shown heatmap having ink on its canvas. */
async function openRunUntilDrawn(dataset: string, run: number): Promise<number> {
  const ms = await page.evaluate(
    async ({ dataset, run, me }) => {
      type App = { commands: { execute(id: string, args?: unknown): Promise<unknown> } };
      const app = (window as unknown as { jupyterapp: App }).jupyterapp;
      const inked = (canvas: HTMLCanvasElement): boolean => {
        if (!canvas.width || !canvas.height) return false;
        const { data } = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height);
        let n = 0;
        for (let i = 0; i < data.length; i += 64) if (data[i + 3] !== data[3] || data[i] !== data[0]) n++;
        return n > data.length / 64 / 100;
      };
      const start = performance.now();
      await app.commands.execute("dqm-playground:open-run", { dataset, run, me });
      return new Promise<number>((resolve) => {
        const check = (): void => {
          const view = document.querySelector(
            ".jp-MainAreaWidget:not(.lm-mod-hidden) [data-testid='dqm-run-view']",
          );
          const canvas = view?.querySelector<HTMLCanvasElement>("[data-testid='dqm-heatmap'] canvas");
          if (canvas && inked(canvas)) resolve(performance.now() - start);
          else requestAnimationFrame(check);
        };
        check();
      });
    },
    { dataset, run, me: ME },
  );
  await expect(page.getByTestId("dqm-run-summary")).toContainText(`run ${run}`);
  await page.evaluate(async () => {
    type App = { commands: { execute(id: string): Promise<unknown> } };
    await (window as unknown as { jupyterapp: App }).jupyterapp.commands.execute("application:close-all");
  });
  await expect(page.getByTestId("dqm-run-view")).toHaveCount(0);
  return ms;
}

test("opening a run until its heatmap is drawn", async () => {
  for (const [dataset, run, label] of [
    [PERF_DATASET, PERF_RUN, `${LUMISECTIONS} LS x ${BINS} bins`],
    [DEMO_DATASET, DEMO_RUN, "28 LS x 100 bins (demo)"],
  ] as const) {
    const cold = await openRunUntilDrawn(dataset, run);
    const warm: number[] = [];
    for (let i = 0; i < REPEATS; i++) warm.push(await openRunUntilDrawn(dataset, run));
    results.push(
      { measure: `run view ${label}: first open`, value: cold, unit: "ms", note: "open to heatmap drawn" },
      {
        measure: `run view ${label}: median of ${REPEATS}`,
        value: median(warm),
        unit: "ms",
        note: `min ${Math.min(...warm).toFixed(0)}, max ${Math.max(...warm).toFixed(0)}`,
      },
    );
  }
});

test("a 10,000-row leaderboard: opening and scrolling", async () => {
  await page.route(`**/dqm-playground/api/v1/tasks/${TASK}/leaderboard*`, async (route) => {
    const response = await route.fetch();
    const board = (await response.json()) as { rows: Array<Record<string, unknown>> };
    const real = board.rows;
    board.rows = Array.from({ length: LEADERBOARD_ROWS }, (_, i) => ({
      ...real[i % real.length],
      rank: i + 1,
      submission: 1_000_000 + i,
      method: `synthetic submission ${i + 1}`,
      baseline: false,
      mine: i % 97 === 0,
    }));
    await route.fulfill({ response, json: board });
  });

  const table = page.locator('[data-testid="dqm-leaderboard-table"]');
  const openMs = await page.evaluate(async (task) => {
    type App = { commands: { execute(id: string, args?: unknown): Promise<unknown> } };
    const app = (window as unknown as { jupyterapp: App }).jupyterapp;
    const start = performance.now();
    await app.commands.execute("dqm-playground:open-leaderboard", { task });
    return new Promise<number>((resolve) => {
      const check = (): void => {
        const rows = document.querySelectorAll("[data-testid='dqm-leaderboard-table'] .dqm-table-row");
        if (rows.length > 0) resolve(performance.now() - start);
        else requestAnimationFrame(check);
      };
      check();
    });
  }, TASK);
  await expect(table).toHaveAttribute("aria-rowcount", String(LEADERBOARD_ROWS + 1));

  const scroll = await table.locator(".dqm-table-body").evaluate(async (body) => {
    const frame = (): Promise<number> => new Promise((resolve) => requestAnimationFrame(resolve));
    const step = body.clientHeight;
    const frames: number[] = [];
    let maxRows = 0;
    body.scrollTop = 0;
    let last = await frame();
    const start = last;
    while (body.scrollTop + body.clientHeight < body.scrollHeight - 1) {
      body.scrollTop += step;
      const now = await frame();
      frames.push(now - last);
      last = now;
      maxRows = Math.max(maxRows, body.querySelectorAll(".dqm-table-row").length);
    }
    const shown = [...body.querySelectorAll<HTMLElement>(".dqm-table-row")].map((r) =>
      Number(r.dataset.index),
    );
    return { frames, total: last - start, maxRows, lastIndex: Math.max(-1, ...shown) };
  });
  const sorted = [...scroll.frames].sort((a, b) => a - b);
  const p95 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))];
  results.push(
    {
      measure: `leaderboard ${LEADERBOARD_ROWS} rows: open`,
      value: openMs,
      unit: "ms",
      note: "command to first rows shown",
    },
    {
      measure: `leaderboard ${LEADERBOARD_ROWS} rows: scroll to the end`,
      value: scroll.total,
      unit: "ms",
      note: `${scroll.frames.length} screenfuls, one per frame`,
    },
    {
      measure: "leaderboard scroll: median frame",
      value: median(scroll.frames),
      unit: "ms",
      note: `p95 ${p95.toFixed(1)} ms, max ${Math.max(...scroll.frames).toFixed(1)} ms`,
    },
    {
      measure: "leaderboard scroll: rows in the DOM",
      value: scroll.maxRows,
      unit: "rows",
      note: `at most, of ${LEADERBOARD_ROWS} (virtualised)`,
    },
  );
  // Not a timing: the end of the table was reached and drawn.
  expect(scroll.lastIndex).toBeGreaterThan(LEADERBOARD_ROWS - 100);
});
