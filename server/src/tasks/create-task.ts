/**
 * Publishes a task: picks the labelled lumisections that have every feature, splits them by run into
 * train and test (and the test runs into a public and a private part) with the spec's strategy and
 * seed, respecting what the data set's other tasks fixed (split-runs.ts), writes both splits as
 * content-addressed Arrow files (their sha256 is the split hash clients report back) and stores the
 * task with its frozen labels in one transaction.
 */
import type { Store } from "../store/store";
import { BlockFileWriter, makeIngestTmpDir } from "../store/block-files";
import { datasetId, toMonitorElement, type MonitorElement } from "../store/datasets";
import { LabelIndex, lumiKey, type LumiKey } from "../store/lumisections";
import { histogramBatches } from "../store/histogram-read";
import { ConflictError, InputError, NotFoundError } from "../errors";
import type { TaskSpec } from "./task-spec";
import { splitRuns, type ExcludedRun, type SplitSettings } from "./split-runs";
import { runRoles, type RunRoles } from "./run-roles";
import { sql, type Transaction } from "kysely";
import type { Database } from "../store/schema";
import { buildSplitBatches, type LumisectionMeta, type SplitRows } from "./split-table";
import crypto from "node:crypto";
import fsp from "node:fs/promises";
import { inChunks } from "../store/chunks";

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
  const db = store.db;
  if (await db.selectFrom("tasks").select("id").where("name", "=", spec.name).executeTakeFirst())
    throw new ConflictError(
      `a task named '${spec.name}' exists already: published tasks never change, choose another name`,
    );
  const dsId = await datasetId(db, spec.dataset);
  const features = await loadFeatures(store, dsId, spec);
  const candidates = await labelledCandidates(store, dsId, spec, features);
  const roles = await runRoles(db, dsId);
  const { train, test, publicRuns, excluded } = splitRuns(candidates, roles, spec.split);

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
      await checkRolesUnchanged(trx, dsId, roles);
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
    return {
      name: spec.name,
      trainSize: train.length,
      testSize: test.length,
      trainSha256,
      testSha256,
      excludedRuns: excluded,
    };
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

/** The spec's split settings; specs stored before strategies existed split at random. */
/**
 * The spec with every split setting; a public/private seed the spec leaves out is drawn here and kept
 * in the stored spec, a secret until the task closes (the train/test split is public, so its seed is no
 * secret, and a division drawn from it could be recomputed by anyone).
 */
function withPublicSeed(spec: TaskSpec): TaskSpec & { split: SplitSettings } {
  const public_seed = spec.split.public_seed ?? crypto.randomInt(2 ** 31 - 1);
  return { ...spec, split: { ...spec.split, strategy: spec.split.strategy ?? "random", public_seed } };
}

/**
 * Another task published on the data set while this one was being written could have hidden or
 * released runs this split relies on. A per-data-set advisory lock serialises the check and the insert
 * across server processes; on a change the caller simply retries.
 */
async function checkRolesUnchanged(trx: Transaction<Database>, dsId: number, before: RunRoles) {
  await sql`select pg_advisory_xact_lock(${TASK_CREATE_LOCK + dsId}::bigint)`.execute(trx);
  const now = await runRoles(trx, dsId);
  if (JSON.stringify([...now]) !== JSON.stringify([...before]))
    throw new ConflictError(
      "another task of this data set was published or closed while this one was being created: create it again",
    );
}

/** Base of the per-data-set lock's key (one bigint key: a space apart from the submissions' two int keys). */
const TASK_CREATE_LOCK = 7_461_736_000_000_000;

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
