/**
 * The schema metadata of the service's Arrow streams, encoded by the service and decoded by its
 * clients: task splits (SPLIT_METADATA) and histogram tables (HISTOGRAM_METADATA). Metadata is a
 * `Map<string, string>`, as apache-arrow's `Schema.metadata`; nothing here depends on apache-arrow.
 */
import type { Binning, SplitName } from "../schemas";
import { binningWithFlow, binningWithoutFlow } from "./binning";
import { HISTOGRAM_METADATA, SPLIT_METADATA, TEST_LABEL_NOTE, TRAIN_LABEL_NOTE } from "./constants";

/** What a task split's metadata says. */
export interface SplitMetadata {
  task: string;
  split: SplitName;
  dataset: string;
  /** Whether the bin columns hold the under/overflow bins too. */
  includeFlow: boolean;
  /** Interior binning of each monitor element (bin column). */
  binning: Record<string, Binning>;
}

/** A split's metadata as read: every key may be missing from a table that was not made by the service. */
export interface DecodedSplitMetadata {
  task: string | null;
  split: string | null;
  dataset: string | null;
  includeFlow: boolean;
  /** The `label` note: what the label column means, or "withheld". */
  label: string | null;
  binning: Record<string, Binning> | null;
}

/** The schema metadata of a task split, keys in the service's order (the split's sha256 depends on it). */
export function encodeSplitMetadata(m: SplitMetadata): Map<string, string> {
  const k = SPLIT_METADATA;
  return new Map([
    [k.task, m.task],
    [k.split, m.split],
    [k.dataset, m.dataset],
    [k.includeFlow, String(m.includeFlow)],
    [k.label, m.split === "train" ? TRAIN_LABEL_NOTE : TEST_LABEL_NOTE],
    [k.binning, JSON.stringify(m.binning)],
  ]);
}

export function decodeSplitMetadata(meta: ReadonlyMap<string, string>): DecodedSplitMetadata {
  const k = SPLIT_METADATA;
  const json = meta.get(k.binning);
  return {
    task: meta.get(k.task) ?? null,
    split: meta.get(k.split) ?? null,
    dataset: meta.get(k.dataset) ?? null,
    includeFlow: meta.get(k.includeFlow) === "true",
    label: meta.get(k.label) ?? null,
    binning: json ? (JSON.parse(json) as Record<string, Binning>) : null,
  };
}

/** What a histogram table's metadata says. */
export interface HistogramMetadata {
  dataset: string;
  me: string;
  /** ROOT class name, null when unknown. */
  kind: string | null;
  /** Interior binning of the monitor element. */
  binning: Binning;
  /** Whether `data` holds the under/overflow bins too. */
  includeFlow: boolean;
}

/** A histogram table's metadata as read (missing binning keys take 1D [0, 1] defaults, as the service's 1D binning). */
export interface DecodedHistogramMetadata {
  dataset: string | null;
  me: string | null;
  kind: string | null;
  includeFlow: boolean;
  /** Interior binning. */
  binning: Binning;
  /** The binning as written: the bins of `data`, with the flow bins counted when included. */
  dataBinning: Binning;
}

/**
 * The schema metadata of a histogram table. With `includeFlow` the binning keys describe the full
 * histogram (`binningWithFlow`), so that a reader that knows nothing of flow bins sees plain bins.
 */
export function encodeHistogramMetadata(m: HistogramMetadata): Map<string, string> {
  const k = HISTOGRAM_METADATA;
  const b = m.includeFlow ? binningWithFlow(m.binning) : m.binning;
  return new Map([
    [k.dataset, m.dataset],
    [k.me, m.me],
    [k.kind, m.kind ?? ""],
    [k.dim, String(b.dim)],
    [k.xmin, String(b.xmin)],
    [k.xmax, String(b.xmax)],
    [k.xbins, String(b.xbins)],
    [k.ymin, String(b.ymin)],
    [k.ymax, String(b.ymax)],
    [k.ybins, String(b.ybins)],
    [k.includeFlow, String(m.includeFlow)],
  ]);
}

/** Whether metadata is a histogram table's (it states `x_bin`) rather than a split's. */
export function isHistogramMetadata(meta: ReadonlyMap<string, string>): boolean {
  return meta.has(HISTOGRAM_METADATA.xbins);
}

export function decodeHistogramMetadata(meta: ReadonlyMap<string, string>): DecodedHistogramMetadata {
  const k = HISTOGRAM_METADATA;
  const num = (key: string, fallback: number) => {
    const v = meta.get(key);
    return v === undefined || v === "" ? fallback : Number(v);
  };
  const includeFlow = meta.get(k.includeFlow) === "true";
  const dataBinning: Binning = {
    dim: num(k.dim, 1) === 2 ? 2 : 1,
    xmin: num(k.xmin, 0),
    xmax: num(k.xmax, 1),
    xbins: num(k.xbins, 1),
    ymin: num(k.ymin, 0),
    ymax: num(k.ymax, 1),
    ybins: num(k.ybins, 1),
  };
  return {
    dataset: meta.get(k.dataset) ?? null,
    me: meta.get(k.me) ?? null,
    kind: meta.get(k.kind) || null,
    includeFlow,
    binning: includeFlow ? binningWithoutFlow(dataBinning) : dataBinning,
    dataBinning,
  };
}
