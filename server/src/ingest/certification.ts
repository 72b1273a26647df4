/**
 * Readers of certification files: golden / DCS-only JSON (`{"run": [[first, last], ...]}`, ranges
 * inclusive) and the per-subsystem "run ls" lists of flagged lumisections. Both give LumiRanges with
 * runs in ascending order and each run's ranges sorted and disjoint.
 */
import { InputError } from "../errors";
import type { LumiRanges } from "./types";
import { lineAndColumn, parseJsonText, readInputText, topLevelKeys } from "./input-files";
import { describeValue, MAX_RUN_OR_LUMISECTION } from "./values";

const POSITIVE = /^[1-9]\d*$/;

/** Reads a golden or DCS-only JSON file. A run with an empty list of ranges is left out. */
export async function readLumiRangesJson(path: string): Promise<LumiRanges> {
  const text = await readInputText(path);
  const doc = parseJsonText(text, path);
  if (typeof doc !== "object" || doc === null || Array.isArray(doc))
    throw new InputError(
      `expected a JSON object {"<run>": [[first, last], ...]}, got ${describeValue(doc)}`,
      {
        file: path,
        line: 1,
      },
    );
  const seen = new Set<string>();
  for (const { key, offset } of topLevelKeys(text)) {
    if (seen.has(key))
      throw new InputError(`run ${JSON.stringify(key)} appears twice (a run's ranges go in one list)`, {
        file: path,
        line: lineAndColumn(text, offset).line,
      });
    seen.add(key);
  }
  const runs: Array<[number, Array<[number, number]>]> = [];
  for (const [key, value] of Object.entries(doc as Record<string, unknown>)) {
    const where = { file: path, line: lineOfKey(text, key) };
    if (!POSITIVE.test(key) || !Number.isSafeInteger(Number(key)))
      throw new InputError(`run ${JSON.stringify(key)} is not a positive integer`, where);
    if (Number(key) > MAX_RUN_OR_LUMISECTION)
      throw new InputError(`run ${key} is above the largest allowed (${MAX_RUN_OR_LUMISECTION})`, where);
    const ranges = runRanges(key, value, where);
    if (ranges.length > 0) runs.push([Number(key), ranges]);
  }
  runs.sort((a, b) => a[0] - b[0]);
  return new Map(runs);
}

/** Line of a run's key, so that errors point at it (JSON.parse keeps no positions). */
function lineOfKey(text: string, key: string): number | undefined {
  const at = text.indexOf(JSON.stringify(key));
  if (at === -1) return undefined;
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < at; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

function isPositiveInteger(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 1;
}

/** Longest range of lumisections one file may name: a run lasts hours, a few thousand lumisections. */
export const MAX_LUMISECTIONS_PER_RANGE = 100_000;

/** One run's ranges, validated (1-based range numbers in messages follow the file's order). */
function runRanges(
  run: string,
  value: unknown,
  where: { file: string; line?: number },
): Array<[number, number]> {
  if (!Array.isArray(value))
    throw new InputError(
      `run ${run}: expected a list of [first, last] ranges, got ${describeValue(value)}`,
      where,
    );
  const ranges = value.map((r: unknown, i): { first: number; last: number; index: number } => {
    if (!Array.isArray(r) || r.length !== 2 || !isPositiveInteger(r[0]) || !isPositiveInteger(r[1]))
      throw new InputError(
        `run ${run}, range ${i + 1}: ${describeValue(r)} is not two positive integers [first, last]`,
        where,
      );
    if (r[0] > r[1])
      throw new InputError(`run ${run}, range ${i + 1}: [${r[0]}, ${r[1]}] has first > last`, where);
    if (r[1] - r[0] + 1 > MAX_LUMISECTIONS_PER_RANGE)
      throw new InputError(
        `run ${run}, range ${i + 1}: [${r[0]}, ${r[1]}] spans ${r[1] - r[0] + 1} lumisections, more than a run has (at most ${MAX_LUMISECTIONS_PER_RANGE})`,
        where,
      );
    return { first: r[0], last: r[1], index: i + 1 };
  });
  ranges.sort((a, b) => a.first - b.first);
  for (let i = 1; i < ranges.length; i++) {
    const [a, b] = [ranges[i - 1], ranges[i]];
    if (b.first <= a.last)
      throw new InputError(
        `run ${run}: range ${a.index} [${a.first}, ${a.last}] and range ${b.index} [${b.first}, ${b.last}] overlap`,
        where,
      );
  }
  return ranges.map((r) => [r.first, r.last]);
}

/**
 * Reads a "run ls" list (one flagged lumisection per line, any order; blank lines and `#` comments
 * skipped) and merges consecutive lumisections into ranges. A line repeated is counted once.
 */
export async function readRunLsList(path: string): Promise<LumiRanges> {
  const text = await readInputText(path);
  const byRun = new Map<number, number[]>();
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const parts = line.split(/\s+/);
    if (parts.length !== 2 || !parts.every((p) => POSITIVE.test(p)))
      throw new InputError(`expected "run ls" (two positive integers), got ${JSON.stringify(line)}`, {
        file: path,
        line: i + 1,
      });
    const big = parts.find((p) => Number(p) > MAX_RUN_OR_LUMISECTION);
    if (big !== undefined)
      throw new InputError(
        `${big} is above the largest run or lumisection allowed (${MAX_RUN_OR_LUMISECTION})`,
        {
          file: path,
          line: i + 1,
        },
      );
    const [run, ls] = parts.map(Number);
    const list = byRun.get(run) ?? [];
    list.push(ls);
    byRun.set(run, list);
  });
  const out: LumiRanges = new Map();
  for (const run of [...byRun.keys()].sort((a, b) => a - b)) {
    const lss = (byRun.get(run) ?? []).sort((a, b) => a - b);
    const ranges: Array<[number, number]> = [];
    for (const ls of lss) {
      const last = ranges[ranges.length - 1];
      if (last && ls <= last[1] + 1) last[1] = Math.max(last[1], ls);
      else ranges.push([ls, ls]);
    }
    out.set(run, ranges);
  }
  return out;
}
