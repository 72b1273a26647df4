/** Table types of the playground database (the same schema on PGlite and PostgreSQL). */
import type { ColumnType, Generated, Selectable } from "kysely";

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface DatasetsTable {
  id: Generated<number>;
  name: string;
  era: string | null;
  primary_dataset: string | null;
  description: string | null;
  created_at: Timestamp;
}

export interface MonitorElementsTable {
  id: Generated<number>;
  dataset_id: number;
  name: string;
  kind: string | null;
  dim: number;
  x_min: number;
  x_max: number;
  x_bins: number;
  y_min: number;
  y_max: number;
  y_bins: number;
  /** Whether stored blocks carry the under/overflow bins (legacy CSV) or not (DIALS). */
  has_flow: boolean;
}

export interface RunsTable {
  dataset_id: number;
  run: number;
  fill: number | null;
}

export interface LumisectionsTable {
  dataset_id: number;
  run: number;
  lumisection: number;
  fill: number | null;
  delivered_lumi: number | null;
  recorded_lumi: number | null;
  pileup: number | null;
  physics_flag: boolean | null;
  beams_stable: boolean | null;
  cms_active: boolean | null;
  /** JSON object of further OMS ready bits. */
  ready_bits: string | null;
}

/** One loaded certification (golden JSON, DCS-only JSON, or a subsystem's bad-lumisection list). */
export interface CertificationsTable {
  id: Generated<number>;
  dataset_id: number;
  kind: "golden" | "dcs" | "flag";
  /** "golden", "dcs", or the subsystem group of a flag list (for example "LDRCTM"). */
  name: string;
  source: string;
  source_sha256: string;
  created_at: Timestamp;
}

export interface CertificationRangesTable {
  certification_id: number;
  run: number;
  first_ls: number;
  last_ls: number;
}

/** One ingest of one source file: makes re-running the same ingest a no-op. */
export interface IngestsTable {
  id: Generated<number>;
  dataset_id: number;
  format: string;
  source: string;
  source_sha256: string;
  records: number;
  created_at: Timestamp;
}

/**
 * Index of histogram record batches. A batch is a byte range of a content-addressed Arrow IPC
 * stream file (one file per monitor element and ingest); `flow_*` point to the under/overflow bins
 * of the same rows in a second file, when the source had them.
 */
export interface HistogramBlocksTable {
  id: Generated<number>;
  dataset_id: number;
  me_id: number;
  ingest_id: number;
  file: string;
  offset: number;
  length: number;
  flow_file: string | null;
  flow_offset: number | null;
  flow_length: number | null;
  run_min: number;
  run_max: number;
  rows: number;
}

export interface UsersTable {
  id: Generated<number>;
  name: string;
  role: "participant" | "admin";
  /** sha256 of the bearer token: the token itself is never stored. */
  token_sha256: string;
  created_at: Timestamp;
}

/** A frozen benchmark: data set, features, splits with their labels, metric settings. */
export interface TasksTable {
  id: Generated<number>;
  name: string;
  title: string;
  description: string;
  dataset_id: number;
  /** JSON: the task specification as published (features, labelling, split, preprocessing, metrics). */
  spec: string;
  status: "open" | "closed";
  /** sha256 (and block file name) of the train and test split Arrow streams. */
  train_sha256: string;
  test_sha256: string;
  train_size: number;
  test_size: number;
  daily_limit: number;
  created_at: Timestamp;
  closed_at: Timestamp | null;
}

/** Which lumisection is in which split, with its frozen label. Test labels never leave the server. */
export interface TaskLumisectionsTable {
  task_id: number;
  run: number;
  lumisection: number;
  split: "train" | "test";
  /** Test split only: scored on the public leaderboard while open, or kept private until close. */
  part: "public" | "private" | null;
  /** 1 = bad (anomalous), 0 = good. */
  bad: number;
}

export interface SubmissionsTable {
  id: Generated<number>;
  task_id: number;
  user_id: number;
  method: string;
  description: string;
  link: string | null;
  client_version: string | null;
  split_sha256: string;
  idempotency_key: string | null;
  status: "accepted" | "scored" | "failed";
  failure: string | null;
  baseline: boolean;
  /** Block file holding the submitted scores as Arrow (run, lumisection, score). */
  scores_file: string | null;
  /** JSON metrics of the public and private parts of the test split. */
  public_metrics: string | null;
  private_metrics: string | null;
  created_at: Timestamp;
  scored_at: Timestamp | null;
}

/** A designated reference run of a data set (set by an admin; its certification is public by designation). */
export interface ReferenceRunsTable {
  dataset_id: number;
  run: number;
  /** Why this run (free text), or null. */
  note: string | null;
  /** The user who designated it, or null (set by the store directly, e.g. the demo). */
  set_by: string | null;
  set_at: Timestamp;
}

export interface Database {
  users: UsersTable;
  tasks: TasksTable;
  task_lumisections: TaskLumisectionsTable;
  submissions: SubmissionsTable;
  datasets: DatasetsTable;
  monitor_elements: MonitorElementsTable;
  runs: RunsTable;
  lumisections: LumisectionsTable;
  certifications: CertificationsTable;
  certification_ranges: CertificationRangesTable;
  ingests: IngestsTable;
  histogram_blocks: HistogramBlocksTable;
  reference_runs: ReferenceRunsTable;
}

export type DatasetRow = Selectable<DatasetsTable>;
export type MonitorElementRow = Selectable<MonitorElementsTable>;
export type HistogramBlockRow = Selectable<HistogramBlocksTable>;
