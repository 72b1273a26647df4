/** Helpers for driving JupyterLab in a Playwright page. */
import * as fs from "node:fs";
import * as path from "node:path";
import { expect, type Locator, type Page } from "@playwright/test";
import { ENV, required, SCREENSHOTS } from "./paths";

/** The part of `window.jupyterapp` (LabApp.expose_app_in_browser) the tests use. */
interface ExposedApp {
  started: Promise<void>;
  restored: Promise<void>;
  commands: { execute(id: string, args?: unknown): Promise<unknown> };
}
type AppWindow = Window & { jupyterapp?: ExposedApp };

export const LIGHT = "JupyterLab Light";
export const DARK = "JupyterLab Dark";

/** Opens JupyterLab (logged in with the run's token) and waits until its layout is restored. */
export async function openLab(page: Page): Promise<void> {
  const url = required(ENV.labUrl);
  const token = required(ENV.token);
  await page.goto(`${url}lab?token=${token}`);
  await page.waitForFunction(() => (window as AppWindow).jupyterapp !== undefined, null, {
    timeout: 120_000,
  });
  await page.evaluate(async () => {
    const app = (window as AppWindow).jupyterapp!;
    await app.started;
    await app.restored;
  });
  await expect(page.locator("#jupyterlab-splash")).toHaveCount(0, { timeout: 120_000 });
}

/** Runs a JupyterLab command and waits for it (its result stays in the page). */
export async function command(page: Page, id: string, args: Record<string, unknown> = {}): Promise<void> {
  await page.evaluate(
    async ({ id, args }) => {
      await (window as AppWindow).jupyterapp!.commands.execute(id, args);
    },
    { id, args },
  );
}

/** Switches the theme and waits until it is applied. */
export async function setTheme(page: Page, theme: string): Promise<void> {
  await command(page, "apputils:change-theme", { theme });
  await expect(page.locator("body")).toHaveAttribute("data-jp-theme-name", theme);
  await expect(page.locator("body")).toHaveAttribute("data-jp-theme-light", String(theme !== DARK));
}

/** Opens a main-area tab by (part of) its label. */
export async function activateTab(page: Page, label: string): Promise<void> {
  const tab = page.locator("#jp-main-dock-panel .lm-TabBar-tab", { hasText: label });
  await tab.click();
  await expect(tab).toHaveClass(/lm-mod-current/);
}

export interface CanvasState {
  width: number;
  height: number;
  /** Pixels that differ from the top-left pixel (the background), as a fraction of all. */
  inked: number;
  /** A digest of the pixels: changes when the chart is drawn differently. */
  digest: string;
}

/** Size, ink and a pixel digest of the (first) Vega canvas inside `chart`. */
export async function canvasState(chart: Locator): Promise<CanvasState> {
  return chart
    .locator("canvas")
    .first()
    .evaluate((node) => {
      const canvas = node as HTMLCanvasElement;
      const ctx = canvas.getContext("2d");
      if (!ctx || canvas.width === 0 || canvas.height === 0)
        return { width: canvas.width, height: canvas.height, inked: 0, digest: "" };
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      let inked = 0;
      let hash = 2166136261;
      for (let i = 0; i < data.length; i += 4) {
        if (
          data[i] !== data[0] ||
          data[i + 1] !== data[1] ||
          data[i + 2] !== data[2] ||
          data[i + 3] !== data[3]
        )
          inked++;
        // FNV-1a over every fourth pixel is plenty to tell two drawings apart.
        if (i % 16 === 0)
          hash = Math.imul(hash ^ (data[i] | (data[i + 1] << 8) | (data[i + 2] << 16)), 16777619);
      }
      return {
        width: canvas.width,
        height: canvas.height,
        inked: inked / (data.length / 4),
        digest: `${canvas.width}x${canvas.height}:${(hash >>> 0).toString(16)}`,
      };
    });
}

/** Waits until `chart` holds a drawn Vega canvas (non-zero size, some ink); returns its state. */
export async function expectDrawn(chart: Locator, differentFrom?: string): Promise<CanvasState> {
  await expect(chart.locator("canvas").first()).toBeVisible();
  let state: CanvasState | null = null;
  await expect
    .poll(
      async () => {
        state = await canvasState(chart);
        if (state.width === 0 || state.height === 0) return "empty canvas";
        if (state.inked < 0.01) return "blank canvas";
        if (differentFrom !== undefined && state.digest === differentFrom) return "not redrawn";
        return "drawn";
      },
      { message: "the chart is drawn" },
    )
    .toBe("drawn");
  return state!;
}

/** Waits until a notebook cell's outputs match `pattern`; fails at once when the cell writes to stderr. */
export async function waitForOutput(cell: Locator, pattern: RegExp, timeoutMs: number): Promise<void> {
  const outputs = cell.locator(".jp-OutputArea-output");
  const errors = cell.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await outputs.allTextContents()).some((text) => pattern.test(text))) return;
    const stderr = await errors.allTextContents();
    if (stderr.length) throw new Error(`the cell failed:\n${stderr.join("\n")}`);
    if (Date.now() > deadline) {
      const prompt = await cell.locator(".jp-InputPrompt").innerText();
      throw new Error(`no output matching ${pattern} within ${timeoutMs / 1000} s (prompt ${prompt})`);
    }
    await cell.page().waitForTimeout(500);
  }
}

/** Saves a screenshot of `target` as test-results/ui/screenshots/<name>.png. */
export async function screenshot(target: Locator, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await target.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), animations: "disabled" });
}
