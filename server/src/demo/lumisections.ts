/**
 * The demo's lumisections: the real 2018 DCS-only JSON (what was recorded with the detector on)
 * and the real golden JSON (what certification accepted), read from the vendored copies.
 * The small size is a fixed choice of real runs, cut to windows that keep their bad lumisections.
 */
import fs from "node:fs";
import path from "node:path";
import type { LumiRanges } from "../ingest/types";

/** The demo's sizes (kept here, free of the simulation, so the CLI lists them without loading it). */
export const DEMO_SIZES = ["small", "full"] as const;
export type DemoSize = (typeof DEMO_SIZES)[number];

/** Resolves from src/demo (ts-jest) and dist/demo (built) alike: dist mirrors src. */
export const CMS_DATA_DIR = path.join(__dirname, "../../data/cms");
export const DCS_FILE = "json_DCSONLY_2018.txt";
export const GOLDEN_FILE = "json_GOLDEN_2018.txt";

/**
 * Small set: [run, first, last] windows of at most 120 lumisections. Seven runs certified good
 * throughout, spread over the year, and eight with bad stretches of the kinds real data has:
 * a bad tail, scattered single lumisections, a short run rejected whole, an early ramp-up run.
 */
export const SMALL_SET_WINDOWS: ReadonlyArray<readonly [number, number, number]> = [
  [315259, 1, 120],
  [315363, 1, 120],
  [315365, 1, 120],
  [316361, 100, 219],
  [316702, 101, 220],
  [316715, 1, 120],
  [317626, 400, 519],
  [319639, 31, 150],
  [319851, 1, 120],
  [320063, 1, 120],
  [321313, 1, 120],
  [321773, 1, 120],
  [322079, 340, 459],
  [323471, 1, 120],
  [325170, 500, 619],
];

/** Sorts and merges ranges (the published JSON has them out of order and split at adjacent numbers). */
export function normalizeRanges(ranges: ReadonlyArray<readonly [number, number]>): Array<[number, number]> {
  const sorted = ranges.map(([a, b]): [number, number] => [a, b]).sort((x, y) => x[0] - y[0]);
  const out: Array<[number, number]> = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else out.push(r);
  }
  return out;
}

/** Reads a vendored golden / DCS-only JSON into ascending runs with merged ranges. */
export function readCertificationJson(file: string): LumiRanges {
  const doc = JSON.parse(fs.readFileSync(path.join(CMS_DATA_DIR, file), "utf8")) as Record<
    string,
    Array<[number, number]>
  >;
  const runs = Object.keys(doc)
    .map(Number)
    .sort((a, b) => a - b);
  return new Map(runs.map((run) => [run, normalizeRanges(doc[String(run)])]));
}

export function countLumisections(ranges: LumiRanges): number {
  let n = 0;
  for (const list of ranges.values()) for (const [a, b] of list) n += b - a + 1;
  return n;
}

/** Whether `ls` is inside one of the (sorted) ranges. */
export function inRanges(ranges: ReadonlyArray<readonly [number, number]> | undefined, ls: number): boolean {
  if (!ranges) return false;
  for (const [a, b] of ranges) {
    if (ls < a) return false;
    if (ls <= b) return true;
  }
  return false;
}

/** Keeps only the given runs, each cut to its window; runs left empty are dropped. */
export function restrictToWindows(
  ranges: LumiRanges,
  windows: ReadonlyArray<readonly [number, number, number]>,
): LumiRanges {
  const out: LumiRanges = new Map();
  for (const [run, first, last] of [...windows].sort((a, b) => a[0] - b[0])) {
    const cut = (ranges.get(run) ?? [])
      .map(([a, b]): [number, number] => [Math.max(a, first), Math.min(b, last)])
      .filter(([a, b]) => a <= b);
    if (cut.length > 0) out.set(run, cut);
  }
  return out;
}

/** Lumisections in both `a` and `b`, run by run. */
export function intersectRanges(a: LumiRanges, b: LumiRanges): LumiRanges {
  const out: LumiRanges = new Map();
  for (const [run, listA] of a) {
    const listB = b.get(run) ?? [];
    const cut: Array<[number, number]> = [];
    for (const [a0, a1] of listA)
      for (const [b0, b1] of listB)
        if (Math.max(a0, b0) <= Math.min(a1, b1)) cut.push([Math.max(a0, b0), Math.min(a1, b1)]);
    if (cut.length > 0) out.set(run, normalizeRanges(cut));
  }
  return out;
}

/** DCS-only and golden lumisections of the demo; bad = in `dcs` but not in `golden`. */
export function demoLumisections(opts: { size: DemoSize }): { dcs: LumiRanges; golden: LumiRanges } {
  const dcs = readCertificationJson(DCS_FILE);
  const golden = readCertificationJson(GOLDEN_FILE);
  if (opts.size === "full") return { dcs, golden };
  const dcsSmall = restrictToWindows(dcs, SMALL_SET_WINDOWS);
  return { dcs: dcsSmall, golden: intersectRanges(golden, dcsSmall) };
}
