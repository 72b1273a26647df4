/**
 * Reader of ROOT files of per-lumisection monitor elements, through JSROOT (CERN's JavaScript ROOT I/O):
 *
 * - nanoDQMIO, the layout of CMSSW's DQMRootOutputModule: tree `Indices` (Run, Lumi, Type, FirstIndex,
 *   LastIndex: an inclusive entry range of that type's tree; Lumi 0 = per-run entries, Type 1000 = no
 *   monitor elements) and one tree per type (`Ints, Floats, Strings, TH1Fs, ... TProfile2Ds`, ids 0-11)
 *   with branches FullName, Flags, Value (the histogram object, unsplit).
 * - the simpler layout the ML4DQM tools convert to: one histogram per key `run<RUN>_ls<LS>_<ME, / as _>`
 *   (chosen when the file has no `Indices` tree).
 *
 * TH1 and TH2 per-lumisection histograms become records with under/overflow kept; per-run entries, scalars,
 * TH3 and profiles are skipped and counted. Entries are read in chunks of at most `CHUNK_ENTRIES` (JSROOT
 * reads a file path with positioned reads), so memory holds one chunk whatever the file size.
 */
import fsp from "node:fs/promises";
import { InputError } from "../errors";
import { fullSize, splitFlow, type Binning, type HistogramRecord } from "../histograms/record";
import { inputFileError } from "./input-files";
import { MAX_RUN_OR_LUMISECTION, meNameProblem } from "./values";
import { withInflatedBaskets, type JsrootIo, type TreeWithBranches } from "./root-baskets";

/** What a ROOT ingest left out, by reason. */
export interface RootSkipCounts {
  /** Per-run entries (Lumi 0) of the nanoDQMIO layout, of any type. */
  perRun: number;
  /** Ints, Floats, Strings entries. */
  scalar: number;
  /** TH3F, TProfile, TProfile2D entries, and histograms with variable bin widths. */
  unsupported: number;
  /** Histograms that no `--me` pattern selects. */
  unselected: number;
  /** Keys of the simple layout that are not `run<RUN>_ls<LS>_<ME>` histograms. */
  otherKeys: number;
}

export function emptySkipCounts(): RootSkipCounts {
  return { perRun: 0, scalar: 0, unsupported: 0, unselected: 0, otherKeys: 0 };
}

export interface RootReadOptions {
  /** Monitor-element selection: a name prefix, or a glob (`*` within a path component, `**` across, `?`). */
  me?: readonly string[];
  /** Filled while reading. */
  skipped?: RootSkipCounts;
  /** Most entries read from a tree at once (default `CHUNK_ENTRIES`). */
  chunkEntries?: number;
}

/** Trees of the nanoDQMIO layout, by type id. */
export const DQMIO_TREES = [
  "Ints",
  "Floats",
  "Strings",
  "TH1Fs",
  "TH1Ss",
  "TH1Ds",
  "TH2Fs",
  "TH2Ss",
  "TH2Ds",
  "TH3Fs",
  "TProfiles",
  "TProfile2Ds",
] as const;
const NO_MONITOR_ELEMENTS = 1000;
const HISTOGRAM_CLASSES = new Set(["TH1F", "TH1S", "TH1D", "TH2F", "TH2S", "TH2D"]);

/**
 * Entries read from a tree at once, at most: few calls (JSROOT walks a tree's whole basket list on every
 * call) while memory holds one chunk of histograms.
 */
export const CHUNK_ENTRIES = 4096;
/** Bins a chunk of histograms may hold: the chunk shrinks for big maps (learned from the chunk before). */
export const CHUNK_BINS = 4 * 1024 * 1024;

// The few JSROOT shapes used here (its own types declare the modules as `any`).
interface RootAxis {
  fNbins: number;
  fXmin: number;
  fXmax: number;
  fXbins?: { length?: number } | null;
}
interface RootHistogram {
  _typename: string;
  fEntries: number;
  fArray: ArrayLike<number>;
  fXaxis: RootAxis;
  fYaxis: RootAxis;
}
interface RootTree extends TreeWithBranches {
  fEntries: number | bigint;
}
interface RootKey {
  fName: string;
  fClassName: string;
  fCycle: number;
}
interface RootFile {
  fKeys: RootKey[];
  fd?: number;
  readObject(name: string): Promise<unknown>;
}
interface Selector {
  tgtobj: Record<string, unknown>;
  addBranch(name: string): number;
  Process(entry: number): void;
}
interface Jsroot {
  openFile(file: string): Promise<RootFile>;
  TSelector: new () => Selector;
  treeProcess(
    tree: RootTree,
    selector: Selector,
    args: { firstentry: number; numentries: number } | { elist: number[] },
  ): Promise<unknown>;
}

// JSROOT is loaded as the ES module it is (its CommonJS build exports nothing in Node), on first use.
async function jsroot(): Promise<Jsroot & JsrootIo> {
  const [main, io] = await Promise.all([import("jsroot"), import("jsroot/io")]);
  return { ...(main as unknown as Jsroot), ...(io as unknown as JsrootIo) };
}

/** Reads a ROOT file of either layout; records name `file` as given. */
export async function* readRootHistograms(
  file: string,
  opts: RootReadOptions = {},
): AsyncGenerator<HistogramRecord> {
  await checkHeader(file);
  const { openFile, TSelector, treeProcess, TBuffer, clTBasket } = await jsroot();
  let root: RootFile;
  try {
    root = await openFile(file);
  } catch (e) {
    throw new InputError(`not a readable ROOT file: ${message(e)}`, { file });
  }
  const skipped = opts.skipped ?? emptySkipCounts();
  const selected = meSelector(opts.me);
  try {
    if (root.fKeys.some((k) => k.fName === "Indices"))
      yield* readDqmio(root, file, selected, skipped, {
        TSelector,
        treeProcess,
        TBuffer,
        clTBasket,
        root,
        chunkEntries: Math.max(1, opts.chunkEntries ?? CHUNK_ENTRIES),
      });
    else yield* readSimpleKeys(root, file, selected, skipped);
  } finally {
    // JSROOT keeps the descriptor of a file opened by path.
    if (typeof root.fd === "number") await closeQuietly(root.fd);
  }
}

async function closeQuietly(fd: number): Promise<void> {
  const fs = await import("node:fs");
  await new Promise<void>((resolve) => fs.close(fd, () => resolve()));
}

/** Refuses what is not a ROOT file, and a truncated one, before JSROOT sees it (it logs and returns nothing). */
async function checkHeader(file: string): Promise<void> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(file, "r");
  } catch (e) {
    throw inputFileError(e, file);
  }
  try {
    const head = Buffer.alloc(20);
    const { bytesRead } = await handle.read(head, 0, 20, 0);
    const size = (await handle.stat()).size;
    if (bytesRead < 20 || head.toString("latin1", 0, 4) !== "root")
      throw new InputError("not a ROOT file (no 'root' signature at the start)", { file });
    const version = head.readUInt32BE(4);
    const end = version >= 1000000 ? Number(head.readBigUInt64BE(12)) : head.readUInt32BE(12);
    if (end > size)
      throw new InputError(`truncated ROOT file: ${size} bytes, its header says ${end}`, { file });
  } finally {
    await handle.close();
  }
}

interface TreeIo extends JsrootIo {
  TSelector: Jsroot["TSelector"];
  treeProcess: Jsroot["treeProcess"];
  root: RootFile;
  chunkEntries: number;
}

interface IndexEntry {
  /** Its entry number in `Indices`, for messages. */
  entry: number;
  run: number;
  lumi: number;
  type: number;
  first: number;
  last: number;
}

/**
 * Reads the whole index first (a few entries per lumisection), checking every range against its tree, then
 * reads each histogram tree front to back: every basket is read and inflated about once, whatever the file
 * size. (Reading range by range, as the index lists them, inflated each basket once per lumisection it
 * holds and rescanned every basket of the tree per call: the rate fell as files grew.)
 */
async function* readDqmio(
  root: RootFile,
  file: string,
  selected: (me: string) => boolean,
  skipped: RootSkipCounts,
  io: TreeIo,
): AsyncGenerator<HistogramRecord> {
  const trees = new Map<string, RootTree>();
  const tree = async (name: string, context: string): Promise<RootTree> => {
    let t = trees.get(name);
    if (t) return t;
    if (!root.fKeys.some((k) => k.fName === name))
      throw new InputError(`tree ${name} is missing (${context})`, { file });
    try {
      t = (await root.readObject(name)) as RootTree;
    } catch (e) {
      throw new InputError(`tree ${name}: cannot read the tree: ${message(e)}`, { file });
    }
    trees.set(name, t);
    return t;
  };

  // Per-lumisection histogram ranges, by tree.
  const ranges = new Map<string, IndexEntry[]>();
  for await (const ix of readIndex(io, await tree("Indices", "the nanoDQMIO index"), file)) {
    if (ix.type === NO_MONITOR_ELEMENTS) continue;
    const name = DQMIO_TREES[ix.type] as string | undefined;
    if (name === undefined)
      throw new InputError(
        `tree Indices, entry ${ix.entry}: Type is ${ix.type}, expected 0-11 or ${NO_MONITOR_ELEMENTS}`,
        { file },
      );
    const where = describeIndexEntry(ix);
    const size = entryCount(await tree(name, `named by ${where}`));
    if (!(ix.first <= ix.last + 1 && ix.last < size))
      throw new InputError(
        `tree ${name}, entry ${ix.last}: ${where} has entries ${ix.first}..${ix.last}, but the tree has ${size} (0..${size - 1})`,
        { file },
      );
    const n = ix.last - ix.first + 1;
    if (n === 0) continue;
    if (ix.lumi === 0) skipped.perRun += n;
    else if (ix.type <= 2) skipped.scalar += n;
    else if (ix.type >= 9) skipped.unsupported += n;
    else {
      for (const [field, v] of [
        ["Run", ix.run],
        ["Lumi", ix.lumi],
      ] as const)
        if (v > MAX_RUN_OR_LUMISECTION)
          throw new InputError(
            `tree Indices, entry ${ix.entry}: ${field} is ${v}, above the largest allowed (${MAX_RUN_OR_LUMISECTION})`,
            { file },
          );
      const list = ranges.get(name);
      if (list) list.push(ix);
      else ranges.set(name, [ix]);
    }
  }

  for (const [name, list] of ranges) {
    list.sort((a, b) => a.first - b.first);
    for (let i = 1; i < list.length; i++)
      if (list[i].first <= list[i - 1].last)
        throw new InputError(
          `tree ${name}, entry ${list[i].first}: named by both ${describeIndexEntry(list[i - 1])} and ${describeIndexEntry(list[i])}`,
          { file },
        );
    yield* readHistogramTree(io, await tree(name, ""), name, file, list, selected, skipped);
  }
}

function describeIndexEntry(ix: IndexEntry): string {
  return `Indices entry ${ix.entry}, run ${ix.run}, lumisection ${ix.lumi}`;
}

async function* readIndex(io: TreeIo, indices: RootTree, file: string): AsyncGenerator<IndexEntry> {
  const count = entryCount(indices);
  for (let start = 0; start < count; start += io.chunkEntries) {
    const entries = consecutive(start, Math.min(io.chunkEntries, count - start));
    const rows = await readEntries(io, indices, file, "Indices", entries, [
      "Run",
      "Lumi",
      "Type",
      "FirstIndex",
      "LastIndex",
    ]);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      yield {
        entry: entries[i],
        run: Number(r.Run),
        lumi: Number(r.Lumi),
        type: Number(r.Type),
        first: Number(r.FirstIndex),
        last: Number(r.LastIndex),
      };
    }
  }
}

/** The histograms of one tree in the given (sorted, disjoint) ranges, a chunk of entries at a time. */
async function* readHistogramTree(
  io: TreeIo,
  tree: RootTree,
  name: string,
  file: string,
  ranges: readonly IndexEntry[],
  selected: (me: string) => boolean,
  skipped: RootSkipCounts,
): AsyncGenerator<HistogramRecord> {
  let binsPerEntry = 0;
  const most = io.chunkEntries;
  const chunkSize = (): number =>
    binsPerEntry > 0
      ? Math.min(most, Math.max(64, Math.floor(CHUNK_BINS / binsPerEntry)))
      : Math.min(most, 256);
  for (const chunk of chunksOf(ranges, chunkSize)) {
    // Names first (small), values only of the selected entries.
    const names = (await readEntries(io, tree, file, name, chunk.entries, ["FullName"])).map((r) =>
      String(r.FullName),
    );
    const keep = chunk.entries.flatMap((_, i) => (selected(names[i]) ? [i] : []));
    for (const i of keep) {
      const problem = meNameProblem(names[i]);
      if (problem)
        throw new InputError(`tree ${name}, entry ${chunk.entries[i]}: FullName ${problem}`, { file });
    }
    skipped.unselected += chunk.entries.length - keep.length;
    if (keep.length === 0) continue;
    const values = await readEntries(
      io,
      tree,
      file,
      name,
      keep.map((i) => chunk.entries[i]),
      ["Value"],
    );
    for (let k = 0; k < keep.length; k++) {
      const i = keep[k];
      const ix = chunk.owners[i];
      const record = toRecord(values[k].Value, names[i], ix.run, ix.lumi, {
        file: `${file}, tree ${name}`,
        entry: chunk.entries[i],
      });
      if (record) {
        binsPerEntry = Math.max(binsPerEntry, fullSize(record.binning));
        yield record;
      } else skipped.unsupported++;
    }
  }
}

/** The entries of `ranges` in order, cut into chunks of at most `size()`, each entry with its index entry. */
function* chunksOf(
  ranges: readonly IndexEntry[],
  size: () => number,
): Generator<{ entries: number[]; owners: IndexEntry[] }> {
  let entries: number[] = [];
  let owners: IndexEntry[] = [];
  for (const ix of ranges)
    for (let e = ix.first; e <= ix.last; e++) {
      entries.push(e);
      owners.push(ix);
      if (entries.length >= size()) {
        yield { entries, owners };
        entries = [];
        owners = [];
      }
    }
  if (entries.length > 0) yield { entries, owners };
}

function consecutive(first: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => first + i);
}

async function* readSimpleKeys(
  root: RootFile,
  file: string,
  selected: (me: string) => boolean,
  skipped: RootSkipCounts,
): AsyncGenerator<HistogramRecord> {
  // Highest cycle of each key name, in file order.
  const keys = new Map<string, RootKey>();
  for (const k of root.fKeys) {
    if (k.fClassName === "StreamerInfo" || k.fName === "StreamerInfo") continue;
    const seen = keys.get(k.fName);
    if (!seen || seen.fCycle < k.fCycle) keys.set(k.fName, k);
  }
  let entry = 0;
  for (const k of keys.values()) {
    const m = /^run(\d+)_ls(\d+)_(.+)$/.exec(k.fName);
    if (!m || !HISTOGRAM_CLASSES.has(k.fClassName)) {
      if (m && /^(TH3|TProfile)/.test(k.fClassName)) skipped.unsupported++;
      else skipped.otherKeys++;
      entry++;
      continue;
    }
    const [run, lumi, me] = [Number(m[1]), Number(m[2]), m[3]];
    if (!selected(me)) {
      skipped.unselected++;
      entry++;
      continue;
    }
    if (run > MAX_RUN_OR_LUMISECTION || lumi > MAX_RUN_OR_LUMISECTION)
      throw new InputError(
        `key ${k.fName}: run or lumisection above the largest allowed (${MAX_RUN_OR_LUMISECTION})`,
        { file },
      );
    const problem = meNameProblem(me);
    if (problem) throw new InputError(`key ${k.fName}: the monitor element name ${problem}`, { file });
    let obj: unknown;
    try {
      obj = await root.readObject(`${k.fName};${k.fCycle}`);
    } catch (e) {
      throw new InputError(`key ${k.fName}: cannot read the histogram: ${message(e)}`, { file });
    }
    const record = toRecord(obj, me, run, lumi, { file: `${file}, key ${k.fName}`, entry });
    if (record) yield record;
    else skipped.unsupported++;
    entry++;
  }
}

/**
 * Reads `branches` of the given ascending entries in one pass (a range when they are consecutive, else an
 * entry list, so JSROOT skips the baskets in between); throws when the tree gives fewer (a corrupt basket).
 */
async function readEntries(
  io: TreeIo,
  tree: RootTree,
  file: string,
  name: string,
  entries: readonly number[],
  branches: string[],
): Promise<Array<Record<string, unknown>>> {
  const rows: Array<Record<string, unknown>> = [];
  const n = entries.length;
  const first = entries[0];
  const selector = new io.TSelector();
  // A missing branch makes treeProcess reject ("Fail to add branch ...").
  for (const b of branches) selector.addBranch(b);
  selector.Process = function (this: Selector) {
    rows.push({ ...this.tgtobj });
  };
  const range =
    entries[n - 1] - first + 1 === n ? { firstentry: first, numentries: n } : { elist: [...entries] };
  try {
    await withInflatedBaskets(io, io.root, io.root.fd, tree, branches, entries, () =>
      io.treeProcess(tree, selector, range),
    );
  } catch (e) {
    throw new InputError(`tree ${name}, entry ${entries[rows.length] ?? first}: cannot read: ${message(e)}`, {
      file,
    });
  }
  if (rows.length !== n)
    throw new InputError(
      `tree ${name}, entry ${entries[rows.length] ?? first}: read ${rows.length} of ${n} entries from ${first} to ${entries[n - 1]} (corrupt file?)`,
      { file },
    );
  return rows;
}

/** A TH1/TH2 object as a record; undefined for what is not stored (TH3, profiles, variable bins). */
function toRecord(
  value: unknown,
  me: string,
  run: number,
  lumisection: number,
  at: { file: string; entry: number },
): HistogramRecord | undefined {
  const h = value as Partial<RootHistogram> | null;
  const where = { file: at.file };
  const kind = h?._typename;
  if (typeof kind !== "string" || !h?.fXaxis || !h.fArray)
    throw new InputError(`entry ${at.entry}: ${me} is not a histogram object`, where);
  if (!HISTOGRAM_CLASSES.has(kind)) return undefined;
  const dim = kind.startsWith("TH1") ? 1 : 2;
  const variable = (a: RootAxis | undefined): boolean => (a?.fXbins?.length ?? 0) > 0;
  if (variable(h.fXaxis) || (dim === 2 && variable(h.fYaxis))) return undefined;
  const binning: Binning = {
    dim,
    xmin: h.fXaxis.fXmin,
    xmax: h.fXaxis.fXmax,
    xbins: h.fXaxis.fNbins,
    ymin: dim === 1 ? 0 : (h.fYaxis?.fXmin ?? NaN),
    ymax: dim === 1 ? 1 : (h.fYaxis?.fXmax ?? NaN),
    ybins: dim === 1 ? 1 : (h.fYaxis?.fNbins ?? 0),
  };
  if (!(binning.xbins >= 1 && binning.ybins >= 1))
    throw new InputError(`entry ${at.entry}: ${me} has ${binning.xbins}x${binning.ybins} bins`, where);
  if (h.fArray.length !== fullSize(binning))
    throw new InputError(
      `entry ${at.entry}: ${me} has ${h.fArray.length} bin contents, expected ${fullSize(binning)} for its axes`,
      where,
    );
  const { data, flow } = splitFlow(h.fArray, binning);
  return {
    run,
    lumisection,
    me,
    kind,
    binning,
    entries: Number(h.fEntries),
    data,
    flow,
    source: { file: at.file, line: at.entry, row: at.entry },
  };
}

/** `--me` patterns as a predicate: a glob when the pattern has `*`, `?` or `[`, else a name prefix. */
export function meSelector(patterns: readonly string[] | undefined): (me: string) => boolean {
  if (!patterns || patterns.length === 0) return () => true;
  const tests = patterns.map((p): ((me: string) => boolean) => {
    if (!/[*?[]/.test(p)) return (me) => me.startsWith(p);
    const re = new RegExp(`^${globSource(p)}$`);
    return (me) => re.test(me);
  });
  return (me) => tests.some((t) => t(me));
}

function globSource(glob: string): string {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*") {
      if (glob[i + 1] === "*") {
        out += ".*";
        i++;
      } else out += "[^/]*";
    } else if (c === "?") out += "[^/]";
    else if (c === "[") {
      const close = glob.indexOf("]", i + 1);
      if (close === -1) out += "\\[";
      else {
        out += `[${glob
          .slice(i + 1, close)
          .replace(/^!/, "^")
          .replace(/\\/g, "\\\\")}]`;
        i = close;
      }
    } else out += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return out;
}

function entryCount(tree: RootTree): number {
  return Number(tree.fEntries);
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
