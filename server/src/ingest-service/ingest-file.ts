/**
 * One entry point for every ingest format, used by the CLI and the benchmarks: picks the reader (under
 * ingest/, which knows nothing of the store), identifies the file by its sha256 (so the same ingest
 * twice is a no-op) and hands what it reads to the store.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Store } from "../store/store";
import { datasetNameProblem, type DatasetInfo } from "../store/datasets";
import { sha256File } from "../store/file-hash";
import { InputError } from "../errors";
import { readLegacyCsv } from "../ingest/legacy-csv";
import { readDialsJson, readDialsParquet } from "../ingest/dials";
import { readLumiRangesJson, readRunLsList } from "../ingest/certification";
import { readOmsJson } from "../ingest/oms";
import { emptySkipCounts, readRootHistograms, type RootSkipCounts } from "../ingest/nanodqmio";
import type { HistogramRecord } from "../histograms/record";
import { INGEST_FORMATS, type CertificationKind, type IngestFormat } from "../ingest/types";

export { INGEST_FORMATS, type IngestFormat };

export interface IngestRequest {
  format: IngestFormat;
  file: string;
  dataset: DatasetInfo;
  /** For `flags`: the subsystem group whose bad lumisections the file lists (default: the file name). */
  flagName?: string;
  /** For `root`: monitor elements to keep, by name prefix or glob (default: all). */
  me?: string[];
}

export interface IngestReport {
  format: IngestFormat;
  file: string;
  dataset: string;
  /** False when this very file had been ingested before and nothing changed. */
  changed: boolean;
  records: number;
  runs?: number;
  lumisections?: number;
  monitorElements?: string[];
  /** For `root`: what the file held that was not ingested, by reason (absent when nothing was read). */
  skipped?: RootSkipCounts;
}

const HISTOGRAM_READERS: Record<string, (file: string) => AsyncIterable<HistogramRecord>> = {
  csv: readLegacyCsv,
  parquet: readDialsParquet,
  json: readDialsJson,
};

export async function ingestFile(
  store: Store,
  req: IngestRequest,
  onProgress?: (records: number) => void,
): Promise<IngestReport> {
  if (!(INGEST_FORMATS as readonly string[]).includes(req.format))
    throw new InputError(
      `unknown ingest format '${req.format}', expected one of ${INGEST_FORMATS.join(", ")}`,
    );
  const nameProblem = datasetNameProblem(req.dataset.name);
  if (nameProblem) throw new InputError(nameProblem);
  if (!fs.existsSync(req.file)) throw new InputError("no such file", { file: req.file });
  if (!fs.statSync(req.file).isFile()) throw new InputError("not a regular file", { file: req.file });
  const sha256 = await sha256File(req.file);
  const base = { format: req.format, file: req.file, dataset: req.dataset.name };

  const me = req.format === "root" && req.me?.length ? [...req.me].sort() : undefined;
  const skipped = req.format === "root" ? emptySkipCounts() : undefined;
  const reader =
    HISTOGRAM_READERS[req.format] ?? (skipped && ((f) => readRootHistograms(f, { me, skipped })));
  if (reader) {
    // A --me selection is part of what was ingested: the same file with another selection is another ingest.
    const id = me
      ? createHash("sha256")
          .update([sha256, ...me].join("\0"))
          .digest("hex")
      : sha256;
    const r = await store.ingestHistograms(
      req.dataset,
      { format: req.format, source: req.file, sha256: id },
      reader(req.file),
      onProgress,
    );
    return {
      ...base,
      changed: !r.skipped,
      records: r.records,
      runs: r.runs,
      lumisections: r.lumisections,
      monitorElements: r.monitorElements,
      ...(skipped && !r.skipped ? { skipped } : {}),
    };
  }
  if (req.format === "oms") {
    const rows = await readOmsJson(req.file);
    const changed = await store.ingestMetadata(req.dataset, rows);
    onProgress?.(rows.length);
    return { ...base, changed, records: rows.length, lumisections: rows.length };
  }
  const ranges = req.format === "flags" ? await readRunLsList(req.file) : await readLumiRangesJson(req.file);
  const kind: CertificationKind =
    req.format === "flags" ? "flag" : req.format === "golden" ? "golden" : "dcs";
  const name =
    req.format === "flags" ? (req.flagName ?? path.basename(req.file).replace(/\.[^.]*$/, "")) : req.format;
  const changed = await store.ingestCertification(
    req.dataset,
    { kind, name, source: req.file, sha256 },
    ranges,
  );
  let lumisections = 0;
  for (const rs of ranges.values()) for (const [a, b] of rs) lumisections += b - a + 1;
  onProgress?.(lumisections);
  return { ...base, changed, records: lumisections, runs: ranges.size, lumisections };
}
