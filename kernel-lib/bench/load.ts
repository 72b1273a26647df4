/**
 * The load part: a task's train split of the demo year into a tensor, as a notebook does it
 * (`connect`, `task.load("train")`, `features`, `tf.tensor2d`), timed step by step, against pyarrow
 * and pandas reading the same split from the same service in Python.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { backend, connect, features, tf, type Playground } from "@dqm-playground/kernel";

export interface LoadRun {
  /** task.load: the HTTP request and the Arrow table (views on the body). */
  load: number;
  features: number;
  tensor: number;
}

export interface LoadResult {
  task: string;
  rows: number;
  cols: number;
  /** Bytes of the float32 feature matrix. */
  bytes: number;
  /** Whether `features` returned a view on the Arrow buffer (no copy). */
  view: boolean;
  backend: string;
  runs: LoadRun[];
}

export interface DemoSetup {
  home: string;
  /** Seconds `dqm-playground demo` took, or null when the data set was there already. */
  demoSeconds: number | null;
}

export function demoTasks(size: "full" | "small"): string[] {
  const suffix = size === "full" ? "-full" : "";
  return [`pixel-2018-charge${suffix}`, `tracker-2018-multi${suffix}`];
}

/** Creates the demo data set in `home` unless it is there (the CLI says so and returns at once). */
export function ensureDemo(
  cli: string,
  home: string,
  size: "full" | "small",
  log: (m: string) => void,
): DemoSetup {
  fs.mkdirSync(home, { recursive: true });
  log(`demo data set (${size}) in ${home}: created when missing, which takes minutes for the full year`);
  const t = performance.now();
  const r = spawnSync(process.execPath, [cli, "demo", "--size", size], {
    env: { ...process.env, DQM_PLAYGROUND_HOME: home },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (r.status !== 0)
    throw new Error(`dqm-playground demo --size ${size} failed (exit ${r.status}): ${r.stdout}`);
  const seconds = (performance.now() - t) / 1000;
  return { home, demoSeconds: /already there/.test(r.stdout) ? null : seconds };
}

export async function connectTo(home: string, cli: string): Promise<Playground> {
  return connect({ home, cli, timeoutMs: 120_000 });
}

/**
 * Loads each task's train split `repeat` times after one untimed load, into a tensor of the wasm
 * backend (the default where native TensorFlow is not installed; tfjs-node would keep the
 * Float32Array and copy it only when a kernel first reads it, so its tensor2d time says nothing).
 */
export async function loadSplits(
  pg: Playground,
  tasks: string[],
  repeat: number,
  log: (m: string) => void,
): Promise<LoadResult[]> {
  const choice = await backend({ force: "wasm" });
  const out: LoadResult[] = [];
  for (const name of tasks) {
    const task = await pg.task(name);
    const once = async (): Promise<{ run: LoadRun; rows: number; cols: number; view: boolean }> => {
      const t0 = performance.now();
      const table = await task.load("train");
      const t1 = performance.now();
      const x = features(table);
      const t2 = performance.now();
      const tensor = tf.tensor2d(x.values, [x.shape[0], x.shape[1]], "float32");
      const t3 = performance.now();
      tensor.dispose();
      return {
        run: { load: (t1 - t0) / 1000, features: (t2 - t1) / 1000, tensor: (t3 - t2) / 1000 },
        rows: x.shape[0],
        cols: x.shape[1],
        view: x.isView,
      };
    };
    const first = await once();
    const runs: LoadRun[] = [];
    for (let i = 0; i < repeat; i++) runs.push((await once()).run);
    log(
      `load ${name}: ${first.rows} x ${first.cols}, ${runs.map((r) => (r.load + r.features + r.tensor).toFixed(2)).join(", ")} s`,
    );
    out.push({
      task: name,
      rows: first.rows,
      cols: first.cols,
      bytes: first.rows * first.cols * 4,
      view: first.view,
      backend: choice.backend,
      runs,
    });
  }
  return out;
}

/** The home's admin token (the Python reference sends it, as the library does). */
export function homeToken(home: string): string | null {
  try {
    return fs.readFileSync(path.join(home, "token"), "utf8").trim();
  } catch {
    return null;
  }
}
