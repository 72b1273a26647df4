/**
 * The store: the one door through which the server reads and writes data sets, labels, histograms,
 * reference runs, tasks, submissions and users. It owns the database (PGlite or PostgreSQL) and the
 * folder of block files (histograms, task splits, submitted scores); neither is reachable from outside
 * server/src/store/ (tests have their own door: testing.ts).
 *
 * One repository per resource, one file each: tasks, their split files, submissions and users are
 * reached as `store.tasks`, `store.splits`, `store.submissions` and `store.users`; data sets, histograms,
 * labels and reference runs through the store's own methods below, which hand each call to its
 * repository (dataset-repository.ts, histogram-repository.ts, label-repository.ts,
 * reference-run-repository.ts).
 */
import fsp from "node:fs/promises";
import path from "node:path";
import type { Kysely } from "kysely";
import type { Database } from "./schema";
import { openDatabase, type Engine } from "./database";
import { StoreLock } from "./store-lock";
import { PRIVATE_DIR_MODE, removeOrphans } from "./block-files";
import type { DatasetInfo, MonitorElement } from "./datasets";
import { DatasetRepository, type DatasetSummary, type LumisectionRow } from "./dataset-repository";
import { HistogramRepository, type HistogramFilter } from "./histogram-repository";
import { LabelRepository } from "./label-repository";
import { ReferenceRunRepository } from "./reference-run-repository";
import type { IngestResult, IngestSource } from "./histogram-ingest";
import type { HistogramQuery, RunRange } from "./histogram-read";
import type { Label, LabelIndex, LumiKey, LumisectionMeta, RunSummary } from "./lumisections";
import type { Page, PageRequest } from "./paging";
import type { ReferenceRun, ReferenceRunInput } from "./reference-runs";
import { TaskRepository } from "./tasks";
import { SubmissionRepository } from "./submissions";
import { SplitFiles } from "./splits";
import { UserRepository } from "./users";
import type { HistogramRecord } from "../histograms/record";
import type { CertificationKind, LumiRanges, LumisectionMetadata } from "../ingest/types";
import type { PlaygroundConfig } from "../config";

export type { DatasetSummary, LumisectionRow } from "./dataset-repository";
export type { HistogramFilter } from "./histogram-repository";

export class Store {
  /** Published tasks, their frozen lumisections and the roles of the runs they use. */
  readonly tasks: TaskRepository;
  /** The task split files. */
  readonly splits: SplitFiles;
  /** Submissions: their score files, rows and metrics. */
  readonly submissions: SubmissionRepository;
  /** Users and their bearer tokens. */
  readonly users: UserRepository;
  private readonly datasetRepository: DatasetRepository;
  private readonly histogramRepository: HistogramRepository;
  private readonly labelRepository: LabelRepository;
  private readonly referenceRunRepository: ReferenceRunRepository;

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
    this.datasetRepository = new DatasetRepository(database);
    this.histogramRepository = new HistogramRepository(database, blocks);
    this.labelRepository = new LabelRepository(database);
    this.referenceRunRepository = new ReferenceRunRepository(database);
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
      await fsp.mkdir(config.blockStore, { recursive: true, mode: PRIVATE_DIR_MODE });
      const store = new Store(db, engine, config.blockStore, close, lock);
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
    for (const r of await this.database
      .selectFrom("tasks")
      .select(["train_sha256", "test_sha256"])
      .execute()) {
      referenced.add(r.train_sha256);
      referenced.add(r.test_sha256);
    }
    for (const r of await this.database.selectFrom("submissions").select("scores_file").distinct().execute())
      if (r.scores_file) referenced.add(r.scores_file);
    return removeOrphans(this.blocks, referenced);
  }

  // ---- data sets (dataset-repository.ts) --------------------------------------------------------

  datasets(): Promise<DatasetSummary[]> {
    return this.datasetRepository.list();
  }

  hasDataset(name: string): Promise<boolean> {
    return this.datasetRepository.has(name);
  }

  monitorElements(dataset: string): Promise<MonitorElement[]> {
    return this.datasetRepository.monitorElements(dataset);
  }

  /** The runs with their counts; the certification of runs in an open task's test split is withheld. */
  runs(dataset: string, filter: RunRange, page: PageRequest): Promise<Page<RunSummary>> {
    return this.datasetRepository.runs(dataset, filter, page);
  }

  /** A run's lumisections with their metadata and labels (withheld for a run in an open task's test split). */
  lumisections(
    dataset: string,
    run: number,
    filter: { label?: Label },
    page: PageRequest,
  ): Promise<Page<LumisectionRow>> {
    return this.datasetRepository.lumisections(dataset, run, filter, page);
  }

  /** The OMS metadata of the data set's lumisections in the run range, by `lumiKey(run, lumisection)`. */
  lumisectionMetadata(dataset: string, runs: RunRange): Promise<Map<LumiKey, LumisectionMeta>> {
    return this.datasetRepository.lumisectionMetadata(dataset, runs);
  }

  /** Sets OMS metadata per lumisection; false when every value was already stored. */
  ingestMetadata(dataset: DatasetInfo, rows: LumisectionMetadata[]): Promise<boolean> {
    return this.datasetRepository.setMetadata(dataset, rows);
  }

  // ---- labels (label-repository.ts) -------------------------------------------------------------

  /** The labels of the data set's lumisections in the run range (all runs when it has no bound). Server only. */
  labelIndex(dataset: string, runs: RunRange = {}): Promise<LabelIndex> {
    return this.labelRepository.index(dataset, runs);
  }

  /** Whether the data set exists and has a certification of this kind (golden, dcs or flags). */
  hasCertification(dataset: string, kind: CertificationKind): Promise<boolean> {
    return this.labelRepository.has(dataset, kind);
  }

  /** Loads golden / DCS-only ranges or a subsystem's bad-lumisection list; false if already loaded. */
  ingestCertification(
    dataset: DatasetInfo,
    cert: { kind: CertificationKind; name: string; source: string; sha256: string },
    ranges: LumiRanges,
  ): Promise<boolean> {
    return this.labelRepository.ingest(dataset, cert, ranges);
  }

  // ---- histograms (histogram-repository.ts) -----------------------------------------------------

  /** Plans a histogram read: the blocks to send and how to filter them. */
  histogramQuery(
    dataset: string,
    me: string,
    filter: HistogramFilter,
  ): Promise<{ query: HistogramQuery; monitorElement: MonitorElement }> {
    return this.histogramRepository.query(dataset, me, filter);
  }

  /** One atomic, idempotent ingest of histograms (histogram-ingest.ts). */
  ingestHistograms(
    dataset: DatasetInfo,
    source: IngestSource,
    records: AsyncIterable<HistogramRecord> | Iterable<HistogramRecord>,
    onProgress?: (records: number) => void,
  ): Promise<IngestResult> {
    return this.histogramRepository.ingest(dataset, source, records, onProgress);
  }

  // ---- reference runs (reference-run-repository.ts) ---------------------------------------------

  /** The designated reference runs of a data set, ascending. */
  referenceRuns(dataset: string): Promise<ReferenceRun[]> {
    return this.referenceRunRepository.list(dataset);
  }

  /**
   * Replaces the designated reference runs of a data set (an empty list clears them) and returns the
   * new list. Refused (nothing changes) when a run is listed twice, is not in the data set, or is in
   * the hidden test split of an open task. `setBy`: the admin's user name.
   */
  setReferenceRuns(
    dataset: string,
    runs: ReadonlyArray<number | ReferenceRunInput>,
    opts: { setBy?: string | null } = {},
  ): Promise<ReferenceRun[]> {
    return this.referenceRunRepository.set(dataset, runs, opts);
  }

  /** The designated reference run for `run` (nearest before, else nearest after); null when none. */
  referenceRunFor(dataset: string, run: number): Promise<number | null> {
    return this.referenceRunRepository.forRun(dataset, run);
  }
}
