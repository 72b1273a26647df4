/**
 * The benchmark's jobs that touch a store. Each runs in its own child process (see job.ts), so that its
 * peak RSS is its own and the store lock is released before the server starts on the same home.
 */
import path from "node:path";
import type { PlaygroundConfig } from "../config";
import { Store } from "../store/store";
import { createDemo, demoDatasetName, DEFAULT_DEMO_SEED, type DemoSize } from "../demo/create-demo";
import { generateDemo } from "../demo/generate";
import { ingestFile } from "../ingest-service/ingest-file";
import { createTask } from "../tasks/create-task";
import { checkTaskSpec } from "../tasks/task-spec";
import { submit } from "../tasks/submissions";
import type { User } from "../store/users";
import { Random } from "../util/seeded-random";
import { secondsSince } from "./stats";
import { writeLegacyCsv, type CsvExport } from "./legacy-csv-writer";

export function homeConfig(home: string): PlaygroundConfig {
  return { home, blockStore: path.join(home, "blocks") };
}

async function withStore<T>(home: string, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await Store.open(homeConfig(home));
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

function log(message: string): void {
  process.stderr.write(`  ${message}\n`);
}

export interface DemoIngestResult {
  dataset: string;
  /** True when the home had the data set already: nothing was measured. */
  existed: boolean;
  lumisections: number;
  monitorElements: number;
  records: number;
  /** Whole `createDemo`: histograms, metadata, certification, the demo tasks and their baselines. */
  totalSeconds: number;
  /** `store.ingestHistograms` alone (the generator runs inside it: records are generated lazily). */
  histogramSeconds: number;
  /** Resident set size right after the store opened (PGlite's WebAssembly heap included). */
  rssAfterOpenBytes: number;
}

/** `createDemo` in the given home, with the histogram ingest timed on its own. */
export async function demoIngestJob(p: { home: string; size: DemoSize }): Promise<DemoIngestResult> {
  return withStore(p.home, async (store) => {
    const rssAfterOpenBytes = process.memoryUsage().rss;
    const dataset = demoDatasetName(p.size);
    const existed = await store.hasDataset(dataset);
    let histogramSeconds = NaN;
    let records = 0;
    const ingest = store.ingestHistograms.bind(store);
    store.ingestHistograms = async (...args) => {
      const start = performance.now();
      const r = await ingest(...args);
      histogramSeconds = secondsSince(start);
      records = r.records;
      return r;
    };
    let next = 0.1;
    const start = performance.now();
    const demo = await createDemo(store, { size: p.size }, (done, total) => {
      if (done / total >= next) {
        log(`demo ingest: ${Math.round(next * 100)}% (${done} records, ${secondsSince(start).toFixed(0)} s)`);
        next += 0.1;
      }
    });
    return {
      dataset,
      existed,
      lumisections: demo.lumisections,
      monitorElements: demo.monitorElements,
      records,
      totalSeconds: secondsSince(start),
      histogramSeconds,
      rssAfterOpenBytes,
    };
  });
}

/** The demo generator alone: every histogram record of the data set produced and dropped. */
export async function demoGenerateJob(p: { size: DemoSize }): Promise<{ records: number; seconds: number }> {
  const start = performance.now();
  const demo = generateDemo({ size: p.size, seed: DEFAULT_DEMO_SEED });
  let records = 0;
  for (const r of demo.records()) if (r.data.length > 0) records++;
  return { records, seconds: secondsSince(start) };
}

/** Legacy CSVs of one monitor element: the whole data set, and its first `headRows` lumisections. */
export async function exportCsvJob(p: {
  home: string;
  dataset: string;
  me: string;
  dir: string;
  headRows: number;
}): Promise<{ all: CsvExport; head: CsvExport; seconds: number }> {
  return withStore(p.home, async (store) => {
    const start = performance.now();
    const { all, head } = await writeLegacyCsv(store, p.dataset, p.me, path.join(p.dir, "legacy-all.csv"), {
      file: path.join(p.dir, `legacy-head.csv`),
      rows: p.headRows,
    });
    return { all, head: head!, seconds: secondsSince(start) };
  });
}

/** `ingestFile` of a legacy CSV into a fresh home. */
export async function csvIngestJob(p: {
  home: string;
  file: string;
}): Promise<{ records: number; lumisections: number; seconds: number; rssAfterOpenBytes: number }> {
  return withStore(p.home, async (store) => {
    const rssAfterOpenBytes = process.memoryUsage().rss;
    const start = performance.now();
    const report = await ingestFile(store, {
      format: "csv",
      file: p.file,
      dataset: { name: "bench-legacy-csv" },
    });
    return {
      records: report.records,
      lumisections: report.lumisections ?? 0,
      seconds: secondsSince(start),
      rssAfterOpenBytes,
    };
  });
}

export const ROOT_DATASET = "bench-root";

export interface RootIngestResult {
  records: number;
  lumisections: number;
  monitorElements: number;
  /** What the file held that was not ingested (per-run entries, scalars, unsupported types). */
  skipped: Record<string, number>;
  seconds: number;
  rssAfterOpenBytes: number;
}

/**
 * `dqm-playground ingest root FILE --dataset bench-root` into a fresh home: the CLI's own call
 * (`ingestFile` with format root on the opened store), without its progress bar.
 */
export async function rootIngestJob(p: { home: string; file: string }): Promise<RootIngestResult> {
  return withStore(p.home, async (store) => {
    const rssAfterOpenBytes = process.memoryUsage().rss;
    const start = performance.now();
    const report = await ingestFile(store, { format: "root", file: p.file, dataset: { name: ROOT_DATASET } });
    return {
      records: report.records,
      lumisections: report.lumisections ?? 0,
      monitorElements: report.monitorElements?.length ?? 0,
      skipped: { ...(report.skipped ?? {}) },
      seconds: secondsSince(start),
      rssAfterOpenBytes,
    };
  });
}

export const LEADERBOARD_TASK = "bench-leaderboard";

export interface LeaderboardSetupResult {
  task: string;
  testRows: number;
  submissions: number;
  users: number;
  taskSeconds: number;
  submitSeconds: number;
}

/**
 * A task on one monitor element with `submissions` random-score submissions spread over a few users
 * (kept when the home has them already).
 */
export async function leaderboardSetupJob(p: {
  home: string;
  dataset: string;
  me: string;
  submissions: number;
}): Promise<LeaderboardSetupResult> {
  return withStore(p.home, async (store) => {
    let start = performance.now();
    if (!(await store.tasks.find(LEADERBOARD_TASK)))
      await createTask(
        store,
        checkTaskSpec({
          name: LEADERBOARD_TASK,
          title: "Benchmark task",
          description: "Made by npm run bench: random-score submissions for the leaderboard load test.",
          dataset: p.dataset,
          features: [p.me],
          split: { test_fraction: 0.5, public_fraction: 0.5, seed: 3 },
          daily_limit: 1000,
        }),
      );
    const taskSeconds = secondsSince(start);
    const task = await store.tasks.get(LEADERBOARD_TASK);
    const test = store.splits.read(task.test_sha256);
    const runs = test.getChild("run")!.toArray() as Int32Array;
    const lumisections = test.getChild("lumisection")!.toArray() as Int32Array;
    const have = await store.submissions.count(task.id);
    const userCount = Math.max(1, Math.min(10, Math.ceil(p.submissions / 5)));
    const users: User[] = [];
    for (let u = 0; u < userCount; u++) {
      const name = `bench-user-${u + 1}`;
      users.push((await store.users.byName(name)) ?? (await store.users.create(name, "participant")).user);
    }
    start = performance.now();
    for (let i = have; i < p.submissions; i++) {
      const rng = new Random(1000 + i);
      await submit(store, LEADERBOARD_TASK, users[i % users.length], {
        method: `random scores #${i + 1}`,
        description: "uniform random scores",
        splitSha256: task.test_sha256,
        runs,
        lumisections,
        scores: Float64Array.from({ length: runs.length }, () => rng.uniform()),
      });
    }
    return {
      task: LEADERBOARD_TASK,
      testRows: runs.length,
      submissions: Math.max(p.submissions, have),
      users: users.length,
      taskSeconds,
      submitSeconds: secondsSince(start),
    };
  });
}

export const JOBS = {
  "demo-ingest": demoIngestJob,
  "demo-generate": demoGenerateJob,
  "export-csv": exportCsvJob,
  "csv-ingest": csvIngestJob,
  "leaderboard-setup": leaderboardSetupJob,
  "root-ingest": rootIngestJob,
} as const;
export type JobName = keyof typeof JOBS;
export type JobParams<N extends JobName> = Parameters<(typeof JOBS)[N]>[0];
export type JobResult<N extends JobName> = Awaited<ReturnType<(typeof JOBS)[N]>>;
