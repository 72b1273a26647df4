/**
 * Publishes a task: picks the labelled lumisections that have every feature, splits them by run into
 * train and test (and the test runs into a public and a private part) with the spec's seed, writes
 * both splits as content-addressed Arrow files (their sha256 is the split hash clients report back)
 * and stores the task with its frozen labels in one transaction.
 */
import type { Store } from "../store/store";
import { BlockFileWriter, makeIngestTmpDir } from "../store/block-files";
import { datasetId, toMonitorElement, type MonitorElement } from "../store/datasets";
import { LabelIndex, lumiKey, type LumiKey } from "../store/lumisections";
import { histogramBatches } from "../store/histogram-read";
import { ConflictError, InputError, NotFoundError } from "../errors";
import { Random } from "../demo/random";
import type { TaskSpec } from "./task-spec";
import { buildSplitBatches, type LumisectionMeta, type SplitRows } from "./split-table";
import fsp from "node:fs/promises";
import { inChunks } from "../store/chunks";

export interface CreatedTask {
  name: string;
  trainSize: number;
  testSize: number;
  trainSha256: string;
  testSha256: string;
}

interface Candidate {
  run: number;
  lumisection: number;
  bad: number;
}

export async function createTask(store: Store, spec: TaskSpec): Promise<CreatedTask> {
  const db = store.db;
  if (await db.selectFrom("tasks").select("id").where("name", "=", spec.name).executeTakeFirst())
    throw new ConflictError(
      `a task named '${spec.name}' exists already: published tasks never change, choose another name`,
    );
  const dsId = await datasetId(db, spec.dataset);
  const features = await loadFeatures(store, dsId, spec);
  const candidates = await labelledCandidates(store, dsId, spec, features);
  const { train, test, publicRuns } = splitByRun(candidates, spec);

  const meta = await lumisectionMeta(store, dsId, spec);
  const header = (split: string) =>
    new Map([
      ["task", spec.name],
      ["split", split],
      ["dataset", spec.dataset],
      ["include_flow", String(spec.preprocessing.include_flow)],
      [
        "label",
        split === "train" ? "label: 1 = bad (not in golden JSON, DCS on), 0 = good (golden)" : "withheld",
      ],
      ["binning", JSON.stringify(Object.fromEntries(features.map((f) => [f.name, f.binning])))],
    ]);
  const tmpDir = await makeIngestTmpDir(store.blocksDir);
  try {
    const shas: string[] = [];
    for (const [split, rows] of [
      ["train", toRows(train, true)],
      ["test", toRows(test, false)],
    ] as const) {
      const batches = await buildSplitBatches(
        store,
        spec.dataset,
        features,
        rows,
        meta,
        spec.preprocessing.include_flow,
        header(split),
      );
      const writer = new BlockFileWriter(tmpDir, `${split}.arrow`, batches[0].schema);
      try {
        for (const b of batches) writer.writeBatch(b);
        shas.push(await writer.finish(store.blocksDir));
      } finally {
        writer.close();
      }
    }
    const [trainSha256, testSha256] = shas;
    await db.transaction().execute(async (trx) => {
      const { id } = await trx
        .insertInto("tasks")
        .values({
          name: spec.name,
          title: spec.title,
          description: spec.description,
          dataset_id: dsId,
          spec: JSON.stringify(spec),
          status: "open",
          train_sha256: trainSha256,
          test_sha256: testSha256,
          train_size: train.length,
          test_size: test.length,
          daily_limit: spec.daily_limit,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const rows = [
        ...train.map((c) => ({
          task_id: id,
          run: c.run,
          lumisection: c.lumisection,
          split: "train" as const,
          part: null,
          bad: c.bad,
        })),
        ...test.map((c) => ({
          task_id: id,
          run: c.run,
          lumisection: c.lumisection,
          split: "test" as const,
          part: publicRuns.has(c.run) ? ("public" as const) : ("private" as const),
          bad: c.bad,
        })),
      ];
      await inChunks(rows, (chunk) => trx.insertInto("task_lumisections").values(chunk).execute());
    });
    return { name: spec.name, trainSize: train.length, testSize: test.length, trainSha256, testSha256 };
  } finally {
    await fsp.rm(tmpDir, { recursive: true, force: true });
  }
}

async function loadFeatures(store: Store, dsId: number, spec: TaskSpec): Promise<MonitorElement[]> {
  const rows = await store.db
    .selectFrom("monitor_elements")
    .selectAll()
    .where("dataset_id", "=", dsId)
    .execute();
  const byName = new Map(rows.map((r) => [r.name, toMonitorElement(r)]));
  return spec.features.map((name, i) => {
    const me = byName.get(name);
    if (!me)
      throw new NotFoundError(`features[${i}]: data set '${spec.dataset}' has no monitor element '${name}'`);
    if (spec.preprocessing.include_flow && !me.hasFlow)
      throw new InputError(
        `features[${i}]: '${name}' has no stored under/overflow bins, so preprocessing.include_flow cannot be true`,
      );
    return me;
  });
}

/** Labelled lumisections (good or bad) in the run range that have every feature with enough entries. */
async function labelledCandidates(
  store: Store,
  dsId: number,
  spec: TaskSpec,
  features: MonitorElement[],
): Promise<Candidate[]> {
  const runs = { min: spec.runs?.min, max: spec.runs?.max };
  let present: Set<LumiKey> | null = null;
  for (const me of features) {
    const { query } = await store.histogramQuery(spec.dataset, me.name, { runs, includeFlow: false });
    const here = new Set<LumiKey>();
    for await (const batch of histogramBatches(query)) {
      const r = batch.getChild("run")!.toArray() as Int32Array;
      const l = batch.getChild("lumisection")!.toArray() as Int32Array;
      const e = batch.getChild("entries")!.toArray() as Float64Array;
      for (let i = 0; i < r.length; i++) {
        const key = lumiKey(r[i], l[i]);
        if (e[i] >= spec.preprocessing.min_entries && (present === null || present.has(key))) here.add(key);
      }
    }
    present = here;
  }
  const labels = await LabelIndex.load(
    store.db,
    dsId,
    runs.min !== undefined || runs.max !== undefined
      ? { min: runs.min ?? 0, max: runs.max ?? 2 ** 31 - 1 }
      : undefined,
  );
  if (!labels.hasGolden)
    throw new InputError(
      `data set '${spec.dataset}' has no golden certification: ingest one before creating a task`,
    );
  const out: Candidate[] = [];
  for (const key of present ?? []) {
    const run = Math.floor(key / 2 ** 20);
    const ls = key % 2 ** 20;
    const { label } = labels.labels(run, ls);
    if (label === "good" || label === "bad") out.push({ run, lumisection: ls, bad: label === "bad" ? 1 : 0 });
  }
  out.sort((a, b) => a.run - b.run || a.lumisection - b.lumisection);
  if (out.length === 0)
    throw new InputError(
      `no labelled lumisection of '${spec.dataset}' has every feature: the task would be empty`,
    );
  return out;
}

/**
 * Shuffles the runs with the spec's seed and fills the test split run by run until it holds the asked
 * fraction of lumisections; the test runs are then shuffled again and split into public and private.
 */
function splitByRun(candidates: Candidate[], spec: TaskSpec) {
  const perRun = new Map<number, number>();
  for (const c of candidates) perRun.set(c.run, (perRun.get(c.run) ?? 0) + 1);
  const runs = [...perRun.keys()].sort((a, b) => a - b);
  if (runs.length < 3)
    throw new InputError(
      `the task has lumisections of only ${runs.length} run(s): need at least 3 to split by run`,
    );
  const rng = new Random(spec.split.seed);
  const shuffle = (xs: number[]) => {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [xs[i], xs[j]] = [xs[j], xs[i]];
    }
    return xs;
  };
  const pick = (from: number[], fraction: number, total: number) => {
    const chosen = new Set<number>();
    let count = 0;
    for (const run of from) {
      if (count >= fraction * total && chosen.size > 0) break;
      chosen.add(run);
      count += perRun.get(run) ?? 0;
    }
    if (chosen.size === from.length) chosen.delete(from[from.length - 1]); // keep the other side non-empty
    return chosen;
  };
  const testRuns = pick(shuffle([...runs]), spec.split.test_fraction, candidates.length);
  const testCount = [...testRuns].reduce((a, r) => a + (perRun.get(r) ?? 0), 0);
  const publicRuns =
    testRuns.size > 1
      ? pick(shuffle([...testRuns].sort((a, b) => a - b)), spec.split.public_fraction, testCount)
      : new Set(testRuns);
  const train = candidates.filter((c) => !testRuns.has(c.run));
  const test = candidates.filter((c) => testRuns.has(c.run));
  for (const part of ["public", "private"] as const) {
    const rows = test.filter((c) => publicRuns.has(c.run) === (part === "public"));
    if (part === "private" && rows.length === 0) continue;
    if (!rows.some((c) => c.bad === 1) || !rows.some((c) => c.bad === 0))
      throw new InputError(
        `the ${part} test part (runs ${[...new Set(rows.map((c) => c.run))].join(", ")}) lacks good or bad lumisections: try another split.seed or more runs`,
      );
  }
  return { train, test, publicRuns };
}

function toRows(cs: Candidate[], withLabels: boolean): SplitRows {
  return {
    runs: Int32Array.from(cs, (c) => c.run),
    lumisections: Int32Array.from(cs, (c) => c.lumisection),
    bad: withLabels ? Uint8Array.from(cs, (c) => c.bad) : null,
  };
}

async function lumisectionMeta(
  store: Store,
  dsId: number,
  spec: TaskSpec,
): Promise<Map<LumiKey, LumisectionMeta>> {
  let q = store.db
    .selectFrom("lumisections")
    .select(["run", "lumisection", "fill", "delivered_lumi", "recorded_lumi", "pileup", "beams_stable"])
    .where("dataset_id", "=", dsId);
  if (spec.runs?.min !== undefined) q = q.where("run", ">=", spec.runs.min);
  if (spec.runs?.max !== undefined) q = q.where("run", "<=", spec.runs.max);
  const out = new Map<LumiKey, LumisectionMeta>();
  for (const r of await q.execute())
    out.set(lumiKey(r.run, r.lumisection), {
      fill: r.fill,
      deliveredLumi: r.delivered_lumi,
      recordedLumi: r.recorded_lumi,
      pileup: r.pileup,
      beamsStable: r.beams_stable,
    });
  return out;
}
