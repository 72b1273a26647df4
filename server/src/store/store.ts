/**
 * The store: the one door through which the server reads and writes data sets, labels, histograms,
 * reference runs, tasks, submissions and users. It owns the database (PGlite or PostgreSQL) and the
 * folder of block files (histograms, task splits, submitted scores); neither is reachable from outside
 * server/src/store/ (tests have their own door: testing.ts).
 *
 * Data sets, histograms, labels and reference runs are methods of the store itself; tasks, their split
 * files, submissions and users are repositories (`store.tasks`, `store.splits`, `store.submissions`,
 * `store.users`), one file each.
 */
import fsp from "node:fs/promises";
import path from "node:path";
import type { Kysely } from "kysely";
import type { Database } from "./schema";
import { openDatabase, type Engine } from "./database";
import { StoreLock } from "./store-lock";
import { removeOrphans } from "./block-files";
import {
  datasetId,
  ensureDataset,
  monitorElementRow,
  toMonitorElement,
  type DatasetInfo,
  type MonitorElement,
} from "./datasets";
import { ingestHistograms, type IngestResult, type IngestSource } from "./histogram-ingest";
import { blocksOf, type HistogramQuery, type RunRange } from "./histogram-read";
import {
  LabelIndex,
  lumiKey,
  replaceCertification,
  runSummaries,
  upsertLumisectionMetadata,
  type Label,
  type LumiKey,
  type LumisectionMeta,
  type RunCounts,
  type RunSummary,
} from "./lumisections";
import { paginate, type Page, type PageRequest } from "./paging";
import {
  listReferenceRuns,
  nearestReference,
  referenceRunNumbers,
  replaceReferenceRuns,
  type ReferenceRun,
  type ReferenceRunInput,
} from "./reference-runs";
import { hiddenRuns } from "./run-roles";
import { TaskRepository } from "./tasks";
import { SubmissionRepository } from "./submissions";
import { SplitFiles } from "./splits";
import { UserRepository } from "./users";
import type { HistogramRecord } from "../histograms/record";
import type { CertificationKind, LumiRanges, LumisectionMetadata } from "../ingest/types";
import type { PlaygroundConfig } from "../config";
import { InputError, NotFoundError } from "../errors";
import type * as api from "@dqm-playground/api-types";

export type DatasetSummary = api.Dataset;

export type LumisectionRow = api.Lumisection;

export interface HistogramFilter {
  runs: RunRange;
  minEntries?: number;
  label?: Label;
  includeFlow: boolean;
}

/** A run's counts with the reference run that applies to it (the data set's designated runs, ascending). */
function withReference(r: RunCounts, designated: readonly number[]): RunSummary {
  return { ...r, referenceRun: nearestReference(designated, r.run), isReference: designated.includes(r.run) };
}

export class Store {
  /** Published tasks, their frozen lumisections and the roles of the runs they use. */
  readonly tasks: TaskRepository;
  /** The task split files. */
  readonly splits: SplitFiles;
  /** Submissions: their score files, rows and metrics. */
  readonly submissions: SubmissionRepository;
  /** Users and their bearer tokens. */
  readonly users: UserRepository;

  private constructor(
    private readonly database: Kysely<Database>,
    readonly engine: Engine,
    private readonly blocks: string,
    private readonly closeDb: () => Promise<void>,
    private readonly lock: StoreLock | null,
  ) {
    this.tasks = new TaskRepository(database);
    this.splits = new SplitFiles(blocks);
    this.submissions = new SubmissionRepository(database, blocks);
    this.users = new UserRepository(database);
  }

  /**
   * Opens the store of a configuration. `inMemory` gives a throw-away PGlite (tests), started from the
   * dump `loadDataDir` when given (a migrated template is much faster than creating a database).
   */
  static async open(
    config: PlaygroundConfig,
    opts: { inMemory?: boolean; loadDataDir?: Blob } = {},
  ): Promise<Store> {
    const lock = config.databaseUrl || opts.inMemory ? null : StoreLock.acquire(config.home);
    try {
      const { db, engine, close } = await openDatabase({
        databaseUrl: config.databaseUrl,
        dataDir: opts.inMemory ? undefined : path.join(config.home, "db"),
        loadDataDir: opts.inMemory ? opts.loadDataDir : undefined,
      });
      await fsp.mkdir(config.blocksDir, { recursive: true });
      const store = new Store(db, engine, config.blocksDir, close, lock);
      await store.removeOrphans();
      return store;
    } catch (err) {
      lock?.release();
      throw err;
    }
  }

  async close(): Promise<void> {
    try {
      await this.closeDb();
    } finally {
      this.lock?.release(); // even if closing failed: the process is done with the store
    }
  }

  /** Deletes files that killed or failed ingests left behind. */
  async removeOrphans(): Promise<{ tmpDirs: number; files: number }> {
    // Every table that names block files: histogram blocks, task splits and submitted scores.
    const referenced = new Set<string>();
    for (const r of await this.database
      .selectFrom("histogram_blocks")
      .select(["file", "flow_file"])
      .distinct()
      .execute()) {
      referenced.add(r.file);
      if (r.flow_file) referenced.add(r.flow_file);
    }
    for (const r of await this.database.selectFrom("tasks").select(["train_sha256", "test_sha256"]).execute()) {
      referenced.add(r.train_sha256);
      referenced.add(r.test_sha256);
    }
    for (const r of await this.database.selectFrom("submissions").select("scores_file").distinct().execute())
      if (r.scores_file) referenced.add(r.scores_file);
    return removeOrphans(this.blocks, referenced);
  }

  // ---- data sets -------------------------------------------------------------------------------

  async datasets(): Promise<DatasetSummary[]> {
    const rows = await this.database
      .selectFrom("datasets as d")
      .select((eb) => [
        "d.name",
        "d.era",
        "d.primary_dataset",
        "d.description",
        eb
          .selectFrom("monitor_elements")
          .select(eb.fn.countAll<number>().as("n"))
          .whereRef("dataset_id", "=", "d.id")
          .as("mes"),
        eb
          .selectFrom("runs")
          .select(eb.fn.countAll<number>().as("n"))
          .whereRef("dataset_id", "=", "d.id")
          .as("runs"),
        eb
          .selectFrom("lumisections")
          .select(eb.fn.countAll<number>().as("n"))
          .whereRef("dataset_id", "=", "d.id")
          .as("lss"),
      ])
      .orderBy("d.name")
      .execute();
    return rows.map((r) => ({
      name: r.name,
      era: r.era,
      primaryDataset: r.primary_dataset,
      description: r.description,
      monitorElements: Number(r.mes ?? 0),
      runs: Number(r.runs ?? 0),
      lumisections: Number(r.lss ?? 0),
    }));
  }

  async hasDataset(name: string): Promise<boolean> {
    return (
      (await this.database.selectFrom("datasets").select("id").where("name", "=", name).executeTakeFirst()) !==
      undefined
    );
  }

  async monitorElements(dataset: string): Promise<MonitorElement[]> {
    const id = await datasetId(this.database, dataset);
    const rows = await this.database
      .selectFrom("monitor_elements")
      .selectAll()
      .where("dataset_id", "=", id)
      .orderBy("name")
      .execute();
    return rows.map(toMonitorElement);
  }

  /**
   * Runs in the test split of any open task of the data set. Their certification (labels, golden
   * counts) is not sent to anyone, admins included (no route here knows the viewer): it would give away
   * the hidden test labels. Closing a task releases its runs' labels.
   */
  withheldRuns(datasetIdValue: number): Promise<Set<number>> {
    return hiddenRuns(this.database, datasetIdValue);
  }

  async runs(dataset: string, filter: RunRange, page: PageRequest): Promise<Page<RunSummary>> {
    const id = await datasetId(this.database, dataset);
    const withheld = await this.withheldRuns(id);
    const references = await referenceRunNumbers(this.database, id);
    const all = (await runSummaries(this.database, id, { runMin: filter.min, runMax: filter.max }))
      .map((r) =>
        withheld.has(r.run)
          ? { ...r, golden: null, goldenFraction: null, bad: null, labelsWithheld: true }
          : r,
      )
      .map((r) => withReference(r, references));
    return paginate(all, page);
  }

  async lumisections(
    dataset: string,
    run: number,
    filter: { label?: Label },
    page: PageRequest,
  ): Promise<Page<LumisectionRow>> {
    const id = await datasetId(this.database, dataset);
    const rows = await this.database
      .selectFrom("lumisections")
      .selectAll()
      .where("dataset_id", "=", id)
      .where("run", "=", run)
      .orderBy("lumisection")
      .execute();
    if (rows.length === 0) throw new NotFoundError(`data set '${dataset}' has no run ${run}`);
    const withheld = (await this.withheldRuns(id)).has(run);
    if (withheld && filter.label !== undefined)
      throw new InputError(
        `labels of run ${run} are withheld (it is in the test split of a task), so it cannot be filtered by label`,
        { column: "label" },
        403,
      );
    const labels = await LabelIndex.load(this.database, id, { min: run, max: run });
    const hidden = { golden: null, dcs: null, flags: [], label: null, labelsWithheld: true };
    const all = rows
      .map((r) => ({
        run: r.run,
        lumisection: r.lumisection,
        fill: r.fill,
        deliveredLumi: r.delivered_lumi,
        recordedLumi: r.recorded_lumi,
        pileup: r.pileup,
        physicsFlag: r.physics_flag,
        beamsStable: r.beams_stable,
        cmsActive: r.cms_active,
        ...(withheld ? hidden : { ...labels.labels(r.run, r.lumisection), labelsWithheld: false }),
      }))
      .filter((r) => filter.label === undefined || r.label === filter.label);
    return paginate(all, page);
  }

  /**
   * The OMS metadata of every lumisection of the data set in the run range (bounds included), by
   * `lumiKey(run, lumisection)`.
   */
  async lumisectionMetadata(dataset: string, runs: RunRange): Promise<Map<LumiKey, LumisectionMeta>> {
    const id = await datasetId(this.database, dataset);
    let q = this.database
      .selectFrom("lumisections")
      .select(["run", "lumisection", "fill", "delivered_lumi", "recorded_lumi", "pileup", "beams_stable"])
      .where("dataset_id", "=", id);
    if (runs.min !== undefined) q = q.where("run", ">=", runs.min);
    if (runs.max !== undefined) q = q.where("run", "<=", runs.max);
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

  // ---- labels (certification) ------------------------------------------------------------------

  /**
   * The labels of the data set's lumisections in the run range (all runs when it has no bound). Server
   * only: it labels the runs that the API withholds too.
   */
  async labelIndex(dataset: string, runs: RunRange = {}): Promise<LabelIndex> {
    return LabelIndex.load(
      this.database,
      await datasetId(this.database, dataset),
      runs.min !== undefined || runs.max !== undefined
        ? { min: runs.min ?? 0, max: runs.max ?? 2 ** 31 - 1 }
        : undefined,
    );
  }

  /** Whether the data set exists and has a certification of this kind (golden, dcs or flags). */
  async hasCertification(dataset: string, kind: CertificationKind): Promise<boolean> {
    return (
      (await this.database
        .selectFrom("certifications")
        .innerJoin("datasets", "datasets.id", "certifications.dataset_id")
        .select("certifications.id")
        .where("datasets.name", "=", dataset)
        .where("certifications.kind", "=", kind)
        .executeTakeFirst()) !== undefined
    );
  }

  // ---- histograms ------------------------------------------------------------------------------

  /** Plans a histogram read: the blocks to send and how to filter them. */
  async histogramQuery(
    dataset: string,
    me: string,
    filter: HistogramFilter,
  ): Promise<{ query: HistogramQuery; monitorElement: MonitorElement }> {
    const id = await datasetId(this.database, dataset);
    const row = await monitorElementRow(this.database, id, dataset, me);
    const monitorElement = toMonitorElement(row);
    if (filter.includeFlow && !monitorElement.hasFlow)
      throw new InputError(
        `monitor element '${me}' was ingested without under/overflow bins (from DIALS-style data): include_flow is not available`,
        { column: "include_flow" },
      );
    const blocks = await blocksOf(this.database, row.id, filter.runs);
    let keep: HistogramQuery["keep"];
    if (filter.label !== undefined || filter.minEntries !== undefined) {
      const labels =
        filter.label === undefined
          ? null
          : await LabelIndex.load(
              this.database,
              id,
              filter.runs.min !== undefined || filter.runs.max !== undefined
                ? { min: filter.runs.min ?? 0, max: filter.runs.max ?? 2 ** 31 - 1 }
                : undefined,
            );
      // A label filter never selects lumisections of withheld (test) runs: that would reveal their labels.
      const withheld = labels === null ? new Set<number>() : await this.withheldRuns(id);
      const { minEntries, label } = filter;
      keep = (run, ls, entries) =>
        (minEntries === undefined || entries >= minEntries) &&
        (labels === null || (!withheld.has(run) && labels.labels(run, ls).label === label));
    }
    return {
      monitorElement,
      query: {
        blocksDir: this.blocks,
        blocks,
        binning: monitorElement.binning,
        runs: filter.runs,
        includeFlow: filter.includeFlow,
        keep,
      },
    };
  }

  // ---- reference runs --------------------------------------------------------------------------
  // Designated by an admin (REST PUT, CLI `reference set`, or the demo through this store): the runs
  // shifters compare others with. See reference-runs.ts for the rules.

  /** The designated reference runs of a data set, ascending. */
  async referenceRuns(dataset: string): Promise<ReferenceRun[]> {
    return listReferenceRuns(this.database, await datasetId(this.database, dataset));
  }

  /**
   * Replaces the designated reference runs of a data set (an empty list clears them) and returns the
   * new list. Numbers alone keep the note of a run already designated. Refused (nothing changes) when a
   * run is listed twice, is not in the data set, or is in the hidden test split of an open task.
   * `setBy`: the admin's user name, recorded with each new designation.
   */
  async setReferenceRuns(
    dataset: string,
    runs: ReadonlyArray<number | ReferenceRunInput>,
    opts: { setBy?: string | null } = {},
  ): Promise<ReferenceRun[]> {
    const id = await datasetId(this.database, dataset);
    const inputs = runs.map((r) => (typeof r === "number" ? { run: r } : r));
    await this.database
      .transaction()
      .execute((trx) => replaceReferenceRuns(trx, id, dataset, inputs, opts.setBy ?? null));
    return listReferenceRuns(this.database, id);
  }

  /**
   * The designated reference run for `run`: the nearest designated run before it (runs are numbered in
   * time order), else the nearest after it, never `run` itself; null when the data set has none.
   */
  async referenceRunFor(dataset: string, run: number): Promise<number | null> {
    const id = await datasetId(this.database, dataset);
    const exists = await this.database
      .selectFrom("runs")
      .select("run")
      .where("dataset_id", "=", id)
      .where("run", "=", run)
      .executeTakeFirst();
    if (!exists) throw new NotFoundError(`data set '${dataset}' has no run ${run}`);
    return nearestReference(await referenceRunNumbers(this.database, id), run);
  }

  // ---- ingest ----------------------------------------------------------------------------------

  ingestHistograms(
    dataset: DatasetInfo,
    source: IngestSource,
    records: AsyncIterable<HistogramRecord> | Iterable<HistogramRecord>,
    onProgress?: (records: number) => void,
  ): Promise<IngestResult> {
    return ingestHistograms({
      db: this.database,
      blocksDir: this.blocks,
      dataset,
      source,
      records,
      onProgress,
    });
  }

  /** Loads golden / DCS-only ranges or a subsystem's bad-lumisection list; false if already loaded. */
  async ingestCertification(
    dataset: DatasetInfo,
    cert: { kind: CertificationKind; name: string; source: string; sha256: string },
    ranges: LumiRanges,
  ): Promise<boolean> {
    return this.database.transaction().execute(async (trx) => {
      const id = await ensureDataset(trx, dataset);
      return replaceCertification(trx, id, cert, ranges);
    });
  }

  /** Sets OMS metadata per lumisection; false when every value was already stored. */
  async ingestMetadata(dataset: DatasetInfo, rows: LumisectionMetadata[]): Promise<boolean> {
    return this.database.transaction().execute(async (trx) => {
      const id = await ensureDataset(trx, dataset);
      return upsertLumisectionMetadata(trx, id, rows);
    });
  }
}
