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
 * Small set: [run, first, last] windows of 28 lumisections (fewer where the run is shorter), 50 real
 * runs spread over the year so that a task's train split and each part of its test split hold many
 * runs. The year's runs between the first and the last golden run are cut into 50 consecutive strata;
 * in three strata out of five the window holds a bad stretch (a bad tail, scattered single
 * lumisections, a stretch in the middle, a bad start, or a short run rejected whole, in turn), with at
 * least 3 bad lumisections of which at most half have a cause invisible to the tracker; the other
 * windows are good throughout. Chosen once by that rule and frozen here.
 */
export const SMALL_SET_WINDOWS: ReadonlyArray<readonly [number, number, number]> = [
  [315361, 596, 623],
  [315506, 43, 70],
  [315645, 19, 46],
  [315721, 40, 67],
  [315785, 86, 113],
  [316113, 41, 68],
  [316199, 601, 628],
  [316239, 602, 629],
  [316380, 698, 725],
  [316700, 182, 209],
  [316719, 82, 109],
  [316993, 135, 162],
  [317088, 1, 25],
  [317340, 196, 223],
  [317475, 47, 74],
  [317641, 682, 709],
  [318733, 3, 30],
  [319337, 1130, 1157],
  [319526, 128, 155],
  [319687, 54, 81],
  [319853, 30, 57],
  [319993, 464, 491],
  [320010, 306, 333],
  [320039, 9, 36],
  [320712, 127, 154],
  [320821, 198, 225],
  [320920, 76, 103],
  [320996, 177, 204],
  [321067, 215, 242],
  [321126, 233, 260],
  [321178, 1, 28],
  [321312, 371, 398],
  [321432, 10, 37],
  [321712, 1, 28],
  [321773, 35, 62],
  [321879, 69, 96],
  [321960, 19, 46],
  [322079, 187, 214],
  [322204, 309, 336],
  [322407, 300, 327],
  [322625, 475, 502],
  [323473, 100, 127],
  [323487, 167, 194],
  [323727, 798, 825],
  [323978, 23, 50],
  [324207, 4, 31],
  [324747, 587, 614],
  [324970, 578, 605],
  [324997, 20, 47],
  [325159, 143, 170],
];

/**
 * Good runs of the small set that the demo tasks keep in their train split, about one every week or
 * two of the year: the reference runs a shifter compares each run with (the nearest one before it).
 * They are in the full year too. Only a run outside every open task's test split can be a reference.
 */
export const DEMO_REFERENCE_RUNS: readonly number[] = [
  315361, 315506, 315645, 316113, 316239, 316700, 316993, 317641, 318733, 319337, 319687, 319993, 320010,
  320039, 320821, 321126, 321432, 321712, 321960, 322625, 323473, 323978, 324970, 324997,
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
