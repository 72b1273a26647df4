/**
 * Atomic ingest of histogram records into block files plus their index.
 *
 * Records are buffered per monitor element and written as one record batch per run (a new batch also
 * starts when a buffer grows past a size limit, or when runs arrive out of order), so memory stays
 * bounded by the buffers, not the file. Nothing becomes visible until the final transaction commits;
 * on any error the temporary files are removed and the database is untouched.
 */
import fsp from "node:fs/promises";
import type { Kysely, Transaction } from "kysely";
import type { RecordBatch } from "apache-arrow";
import type { Database } from "./schema";
import { InputError } from "../errors";
import {
  describeBinning,
  flowSize,
  interiorSize,
  sameBinning,
  type Binning,
  type HistogramRecord,
} from "../histograms/record";
import {
  batchFromColumns,
  binsData,
  dataSchema,
  float64Data,
  flowSchema,
  int32Data,
} from "../histograms/arrow-layout";
import { BlockFileWriter, makeIngestTmpDir, type BatchRange } from "./block-files";
import { ensureDataset, toMonitorElement, type DatasetInfo } from "./datasets";
import { storedKeys } from "./histogram-read";
import { insertLumisectionKeys, lumiKey, type LumiKey } from "./lumisections";
import { inChunks } from "./chunks";

const MAX_BATCH_BYTES = 64 * 1024 * 1024;

export interface IngestSource {
  format: string;
  /** Name shown in messages and stored with the ingest (the file path as given). */
  source: string;
  sha256: string;
}

export interface IngestResult {
  dataset: string;
  format: string;
  source: string;
  skipped: boolean;
  records: number;
  monitorElements: string[];
  runs: number;
  lumisections: number;
}

interface StoredMe {
  id: number;
  binning: Binning;
  hasFlow: boolean;
}

/** Rows of one monitor element waiting to be written as a batch. */
class MeBuffer {
  runs: number[] = [];
  lumisections: number[] = [];
  entries: number[] = [];
  data: Float32Array;
  flow: Float32Array | null;
  rows = 0;
  lastRun = -1;

  constructor(
    readonly bins: number,
    readonly flowBins: number | null,
  ) {
    this.data = new Float32Array(bins * 64);
    this.flow = flowBins === null ? null : new Float32Array(flowBins * 64);
  }

  get bytes(): number {
    return this.rows * (this.bins + (this.flowBins ?? 0)) * 4;
  }

  add(r: HistogramRecord): void {
    if (this.rows * this.bins === this.data.length) {
      this.data = grow(this.data);
      if (this.flow) this.flow = grow(this.flow);
    }
    this.data.set(r.data, this.rows * this.bins);
    if (this.flow && r.flow && this.flowBins !== null) this.flow.set(r.flow, this.rows * this.flowBins);
    this.runs.push(r.run);
    this.lumisections.push(r.lumisection);
    this.entries.push(r.entries);
    this.rows++;
    this.lastRun = r.run;
  }

  /** The buffered rows sorted by (run, lumisection), as a data batch and an optional flow batch. */
  take(): { data: RecordBatch; flow: RecordBatch | null; runMin: number; runMax: number; rows: number } {
    const n = this.rows;
    const order = Array.from({ length: n }, (_, i) => i).sort(
      (a, b) => this.runs[a] - this.runs[b] || this.lumisections[a] - this.lumisections[b],
    );
    const runs = new Int32Array(n);
    const lss = new Int32Array(n);
    const entries = new Float64Array(n);
    const data = new Float32Array(n * this.bins);
    const flow = this.flow && this.flowBins !== null ? new Float32Array(n * this.flowBins) : null;
    order.forEach((from, to) => {
      runs[to] = this.runs[from];
      lss[to] = this.lumisections[from];
      entries[to] = this.entries[from];
      data.set(this.data.subarray(from * this.bins, (from + 1) * this.bins), to * this.bins);
      if (flow && this.flow && this.flowBins !== null)
        flow.set(this.flow.subarray(from * this.flowBins, (from + 1) * this.flowBins), to * this.flowBins);
    });
    const dataBatch = batchFromColumns(dataSchema(this.bins), [
      int32Data(runs),
      int32Data(lss),
      float64Data(entries),
      binsData(data, this.bins),
    ]);
    const flowBatch =
      flow && this.flowBins !== null
        ? batchFromColumns(flowSchema(this.flowBins), [
            int32Data(runs.slice()),
            int32Data(lss.slice()),
            binsData(flow, this.flowBins),
          ])
        : null;
    const result = { data: dataBatch, flow: flowBatch, runMin: runs[0], runMax: runs[n - 1], rows: n };
    this.runs = [];
    this.lumisections = [];
    this.entries = [];
    this.rows = 0;
    return result;
  }
}

function grow(a: Float32Array): Float32Array {
  const b = new Float32Array(a.length * 2);
  b.set(a);
  return b;
}

interface PendingBlock {
  me: string;
  dataRange: BatchRange;
  flowRange: BatchRange | null;
  runMin: number;
  runMax: number;
  rows: number;
}

/** Per-monitor-element writer state of one ingest. */
interface MeWriter {
  name: string;
  kind: string | null;
  binning: Binning;
  hasFlow: boolean;
  buffer: MeBuffer;
  dataFile: BlockFileWriter;
  flowFile: BlockFileWriter | null;
  blocks: PendingBlock[];
  seen: Set<LumiKey>;
}

export interface HistogramIngestOptions {
  db: Kysely<Database>;
  blocksDir: string;
  dataset: DatasetInfo;
  source: IngestSource;
  records: AsyncIterable<HistogramRecord> | Iterable<HistogramRecord>;
  onProgress?: (records: number) => void;
}

export async function ingestHistograms(opts: HistogramIngestOptions): Promise<IngestResult> {
  const { db, blocksDir, dataset, source } = opts;
  const existing = await findExistingIngest(db, dataset.name, source);
  if (existing) return { ...emptyResult(dataset.name, source), skipped: true, records: existing.records };

  const storedMes = await loadStoredMes(db, dataset.name);
  const writers = new Map<string, MeWriter>();
  const lumis = new Set<LumiKey>();
  const tmpDir = await makeIngestTmpDir(blocksDir);
  let count = 0;
  try {
    for await (const record of opts.records) {
      let writer = writers.get(record.me);
      if (!writer) {
        writer = await openWriter(record, storedMes.get(record.me), writers.size, tmpDir, blocksDir, db);
        writers.set(record.me, writer);
      }
      checkRecord(writer, record);
      const buffer = writer.buffer;
      if (buffer.rows > 0 && (record.run !== buffer.lastRun || buffer.bytes >= MAX_BATCH_BYTES))
        flush(writer);
      buffer.add(record);
      lumis.add(lumiKey(record.run, record.lumisection));
      count++;
      if (opts.onProgress && count % 1000 === 0) opts.onProgress(count);
    }
    for (const w of writers.values()) if (w.buffer.rows > 0) flush(w);
    opts.onProgress?.(count);

    // Files go to their content address before the commit; a kill in between leaves unreferenced
    // files that removeOrphans() deletes, never an index row without its file.
    const files = new Map<string, { data: string; flow: string | null }>();
    for (const w of writers.values()) {
      const data = await w.dataFile.finish(blocksDir);
      const flow = w.flowFile ? await w.flowFile.finish(blocksDir) : null;
      files.set(w.name, { data, flow });
    }
    await db.transaction().execute(async (trx) => {
      const datasetId = await ensureDataset(trx, dataset);
      const ingestId = await insertIngest(trx, datasetId, source, count);
      for (const w of writers.values()) {
        const meId = await ensureMe(trx, datasetId, w);
        const f = files.get(w.name);
        if (!f) continue;
        const rows = w.blocks.map((b) => ({
          dataset_id: datasetId,
          me_id: meId,
          ingest_id: ingestId,
          file: f.data,
          offset: b.dataRange.offset,
          length: b.dataRange.length,
          flow_file: f.flow,
          flow_offset: b.flowRange?.offset ?? null,
          flow_length: b.flowRange?.length ?? null,
          run_min: b.runMin,
          run_max: b.runMax,
          rows: b.rows,
        }));
        await inChunks(rows, (chunk) => trx.insertInto("histogram_blocks").values(chunk).execute());
      }
      await insertLumisectionKeys(trx, datasetId, lumis);
    });
  } finally {
    for (const w of writers.values()) {
      w.dataFile.close();
      w.flowFile?.close();
    }
    await fsp.rm(tmpDir, { recursive: true, force: true });
  }
  const runs = new Set(Array.from(lumis, (k) => Math.floor(k / 2 ** 20)));
  return {
    dataset: dataset.name,
    format: source.format,
    source: source.source,
    skipped: false,
    records: count,
    monitorElements: [...writers.keys()],
    runs: runs.size,
    lumisections: lumis.size,
  };
}

function emptyResult(dataset: string, source: IngestSource): IngestResult {
  return {
    dataset,
    format: source.format,
    source: source.source,
    skipped: false,
    records: 0,
    monitorElements: [],
    runs: 0,
    lumisections: 0,
  };
}

function flush(w: MeWriter): void {
  const taken = w.buffer.take();
  const dataRange = w.dataFile.writeBatch(taken.data);
  const flowRange = taken.flow && w.flowFile ? w.flowFile.writeBatch(taken.flow) : null;
  w.blocks.push({
    me: w.name,
    dataRange,
    flowRange,
    runMin: taken.runMin,
    runMax: taken.runMax,
    rows: taken.rows,
  });
}

/** An error at a record: "file, line N: ..." or, for sources without lines, "file: row N: ...". */
function recordError(r: HistogramRecord, message: string): InputError {
  const { file, line, row } = r.source;
  return row === undefined
    ? new InputError(message, { file, line })
    : new InputError(`row ${row}: ${message}`, { file });
}

function checkRecord(w: MeWriter, r: HistogramRecord): void {
  if (!sameBinning(w.binning, r.binning))
    throw recordError(
      r,
      `monitor element ${r.me} has binning ${describeBinning(r.binning)}, but ${describeBinning(w.binning)} elsewhere in this data set`,
    );
  if (w.hasFlow !== (r.flow !== null))
    throw recordError(
      r,
      `monitor element ${r.me} ${r.flow ? "has" : "lacks"} under/overflow bins, unlike its other histograms in this data set`,
    );
  if (r.data.length !== interiorSize(r.binning))
    throw recordError(r, `histogram has ${r.data.length} bins, expected ${interiorSize(r.binning)}`);
  if (!Number.isInteger(r.lumisection) || r.lumisection < 0 || r.lumisection >= 2 ** 20)
    throw recordError(r, `lumisection ${r.lumisection} is out of range`);
  const key = lumiKey(r.run, r.lumisection);
  if (w.seen.has(key))
    throw recordError(r, `duplicate histogram for run ${r.run} ls ${r.lumisection} of ${r.me}`);
  w.seen.add(key);
}

async function openWriter(
  first: HistogramRecord,
  stored: StoredMe | undefined,
  index: number,
  tmpDir: string,
  blocksDir: string,
  db: Kysely<Database>,
): Promise<MeWriter> {
  const binning = stored?.binning ?? first.binning;
  const hasFlow = stored?.hasFlow ?? first.flow !== null;
  const bins = interiorSize(binning);
  const flowBins = hasFlow ? flowSize(binning) : null;
  const seen = stored ? await storedKeys(db, blocksDir, stored.id, bins) : new Set<LumiKey>();
  return {
    name: first.me,
    kind: first.kind ?? null,
    binning,
    hasFlow,
    buffer: new MeBuffer(bins, flowBins),
    dataFile: new BlockFileWriter(tmpDir, `${index}.data.arrow`, dataSchema(bins)),
    flowFile:
      flowBins === null ? null : new BlockFileWriter(tmpDir, `${index}.flow.arrow`, flowSchema(flowBins)),
    blocks: [],
    seen,
  };
}

async function findExistingIngest(db: Kysely<Database>, dataset: string, source: IngestSource) {
  return db
    .selectFrom("ingests")
    .innerJoin("datasets", "datasets.id", "ingests.dataset_id")
    .select(["ingests.id", "ingests.records"])
    .where("datasets.name", "=", dataset)
    .where("ingests.format", "=", source.format)
    .where("ingests.source_sha256", "=", source.sha256)
    .executeTakeFirst();
}

async function loadStoredMes(db: Kysely<Database>, dataset: string): Promise<Map<string, StoredMe>> {
  const rows = await db
    .selectFrom("monitor_elements")
    .innerJoin("datasets", "datasets.id", "monitor_elements.dataset_id")
    .selectAll("monitor_elements")
    .where("datasets.name", "=", dataset)
    .execute();
  return new Map(rows.map((r) => [r.name, { id: r.id, ...toMonitorElement(r) }]));
}

async function insertIngest(
  trx: Transaction<Database>,
  datasetId: number,
  source: IngestSource,
  records: number,
) {
  const row = await trx
    .insertInto("ingests")
    .values({
      dataset_id: datasetId,
      format: source.format,
      source: source.source,
      source_sha256: source.sha256,
      records,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

async function ensureMe(trx: Transaction<Database>, datasetId: number, w: MeWriter): Promise<number> {
  const b = w.binning;
  await trx
    .insertInto("monitor_elements")
    .values({
      dataset_id: datasetId,
      name: w.name,
      kind: w.kind,
      dim: b.dim,
      x_min: b.xmin,
      x_max: b.xmax,
      x_bins: b.xbins,
      y_min: b.ymin,
      y_max: b.ymax,
      y_bins: b.ybins,
      has_flow: w.hasFlow,
    })
    .onConflict((oc) => oc.columns(["dataset_id", "name"]).doNothing())
    .execute();
  const row = await trx
    .selectFrom("monitor_elements")
    .selectAll()
    .where("dataset_id", "=", datasetId)
    .where("name", "=", w.name)
    .executeTakeFirstOrThrow();
  const stored = toMonitorElement(row).binning;
  if (!sameBinning(stored, b) || row.has_flow !== w.hasFlow)
    throw new InputError(
      `monitor element ${w.name} was stored meanwhile with binning ${describeBinning(stored)}`,
      {},
    );
  return row.id;
}
