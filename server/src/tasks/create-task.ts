/**
 * Publishes a task: picks the labelled lumisections that have every feature, splits them by run into
 * train and test (and the test runs into a public and a private part) with the spec's strategy and
 * seed, respecting what the data set's other tasks fixed (split-runs.ts), writes both splits as
 * content-addressed Arrow files (their sha256 is the split hash clients report back) and stores the
 * task with its frozen labels in one transaction.
 */
import crypto from "node:crypto";
import { encodeSplitMetadata } from "@dqm-playground/api-types/wire";
import type { Store } from "../store/store";
import type { MonitorElement } from "../store/datasets";
import { lumiKey, type LumiKey } from "../store/lumisections";
import { histogramBatches } from "../store/histogram-read";
import type { FrozenLumisection } from "../store/tasks";
import { ConflictError, InputError, NotFoundError } from "../errors";
import type { TaskSpec } from "./task-spec";
import { splitRuns, type ExcludedRun, type SplitSettings } from "./split-runs";
import { buildSplitBatches, type SplitRows } from "./split-table";

export interface CreatedTask {
  name: string;
  trainSize: number;
  testSize: number;
  trainSha256: string;
  testSha256: string;
  /** Labelled runs left out because of other tasks of the data set, with the reason, by run. */
  excludedRuns: ExcludedRun[];
}

interface Candidate {
  run: number;
  lumisection: number;
  bad: number;
}

export async function createTask(store: Store, specified: TaskSpec): Promise<CreatedTask> {
  const spec = withPublicSeed(specified);
  if (await store.tasks.find(spec.name))
    throw new ConflictError(
      `a task named '${spec.name}' exists already: published tasks never change, choose another name`,
    );
  const features = await loadFeatures(store, spec);
  const candidates = await labelledCandidates(store, spec, features);
  const roles = await store.tasks.runRoles(spec.dataset);
  const { train, test, publicRuns, excluded } = splitRuns(candidates, roles, spec.split);

  const meta = await store.lumisectionMetadata(spec.dataset, { min: spec.runs?.min, max: spec.runs?.max });
  const header = (split: "train" | "test") =>
    encodeSplitMetadata({
      task: spec.name,
      split,
      dataset: spec.dataset,
      includeFlow: spec.preprocessing.include_flow,
      binning: Object.fromEntries(features.map((f) => [f.name, f.binning])),
    });
  // The split files stay staged until the task's row naming them is committed.
  const staged = await store.splits.stage();
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
      shas.push(await staged.write(`${split}.arrow`, batches));
    }
    const [trainSha256, testSha256] = shas;
    const frozen = (cs: Candidate[], part: (run: number) => FrozenLumisection["part"]) =>
      cs.map((c) => ({ run: c.run, lumisection: c.lumisection, bad: c.bad, part: part(c.run) }));
    await store.tasks.publish(
      {
        name: spec.name,
        title: spec.title,
        description: spec.description,
        dataset: spec.dataset,
        spec,
        dailyLimit: spec.daily_limit,
        train: { sha256: trainSha256, lumisections: frozen(train, () => null) },
        test: {
          sha256: testSha256,
          lumisections: frozen(test, (run) => (publicRuns.has(run) ? "public" : "private")),
        },
      },
      roles,
    );
    return {
      name: spec.name,
      trainSize: train.length,
      testSize: test.length,
      trainSha256,
      testSha256,
      excludedRuns: excluded,
    };
  } finally {
    await staged.release();
  }
}

async function loadFeatures(store: Store, spec: TaskSpec): Promise<MonitorElement[]> {
  const byName = new Map((await store.monitorElements(spec.dataset)).map((me) => [me.name, me]));
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
  const labels = await store.labelIndex(spec.dataset, runs);
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
 * The spec with every split setting; a public/private seed the spec leaves out is drawn here and kept
 * in the stored spec, a secret until the task closes (the train/test split is public, so its seed is no
 * secret, and a division drawn from it could be recomputed by anyone).
 */
function withPublicSeed(spec: TaskSpec): TaskSpec & { split: SplitSettings } {
  const public_seed = spec.split.public_seed ?? crypto.randomInt(2 ** 31 - 1);
  return { ...spec, split: { ...spec.split, strategy: spec.split.strategy ?? "random", public_seed } };
}

function toRows(cs: Candidate[], withLabels: boolean): SplitRows {
  return {
    runs: Int32Array.from(cs, (c) => c.run),
    lumisections: Int32Array.from(cs, (c) => c.lumisection),
    bad: withLabels ? Uint8Array.from(cs, (c) => c.bad) : null,
  };
}
