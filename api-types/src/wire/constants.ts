/** Constants of the wire, for the service and its two clients alike. */

/** Media type of the Arrow IPC streams (splits, histogram tables, submissions). */
export const ARROW_STREAM = "application/vnd.apache.arrow.stream";

/** Response header with the sha256 of a task split's Arrow stream (exposed to browsers by CORS). */
export const SPLIT_SHA256_HEADER = "x-split-sha256";

/** Path of the REST API under the service root (`<root>/api/v1/...`). */
export const API_PREFIX = "api/v1";

/** The `service` field of `GET /health` by which a client knows it found a playground service. */
export const SERVICE_NAME = "dqm-playground";

/**
 * Schema-metadata keys of a task split's Arrow stream (`GET /tasks/{task}/splits/{split}`), in the
 * order the service writes them: the split's bytes, hence its sha256, depend on that order.
 */
export const SPLIT_METADATA = {
  task: "task",
  split: "split",
  dataset: "dataset",
  /** "true" when every bin column holds the under/overflow bins too. */
  includeFlow: "include_flow",
  /** What the `label` column means (train), or "withheld" (test). */
  label: "label",
  /** JSON object: monitor element name -> its interior binning. */
  binning: "binning",
} as const;

/**
 * Schema-metadata keys of a histogram table (`GET /datasets/{dataset}/histograms` as Arrow), in the
 * order the service writes them. The binning keys describe the bins of the `data` column: with
 * `include_flow` "true" they include one flow bin on each side.
 */
export const HISTOGRAM_METADATA = {
  dataset: "dataset",
  me: "me",
  /** ROOT class name, "" when unknown. */
  kind: "kind",
  dim: "dim",
  xmin: "x_min",
  xmax: "x_max",
  xbins: "x_bin",
  ymin: "y_min",
  ymax: "y_max",
  ybins: "y_bin",
  includeFlow: "include_flow",
} as const;

/** The `label` metadata of a train split: what the label column's values mean. */
export const TRAIN_LABEL_NOTE = "label: 1 = bad (not in golden JSON, DCS on), 0 = good (golden)";

/** The `label` metadata of a test split: its labels stay on the service. */
export const TEST_LABEL_NOTE = "withheld";

/**
 * Service discovery on one machine (./discovery.ts reads and writes these; the Python launcher in
 * extension/dqm_playground_jupyterlab/locate.py follows the same names and rules).
 */
export const DISCOVERY = {
  /** Environment variable naming the playground home. */
  homeEnv: "DQM_PLAYGROUND_HOME",
  /** The home when that variable is unset or empty: this folder in the user's home directory. */
  defaultHomeDir: ".dqm-playground",
  /** Environment variable with a service root URL that clients use instead of discovery. */
  urlEnv: "DQM_PLAYGROUND_URL",
  /** Environment variable with a bearer token that clients use instead of the home's token file. */
  tokenEnv: "DQM_PLAYGROUND_TOKEN",
  /** File in the home where the running server says where it listens (ServerInfo as JSON). */
  serverFile: "server.json",
  /** File in the home with the local admin's bearer token (mode 0600). */
  tokenFile: "token",
  /**
   * File in the home with the service a user logged in to and their token (`dqm-playground login URL`,
   * mode 0600): `{"url": ..., "token": ...}`. When present, clients use that service.
   */
  loginFile: "login.json",
} as const;
