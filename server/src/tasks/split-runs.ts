/**
 * Splitting a task's lumisections by run into train and test, and the test runs into a public and a
 * private part. Pure functions: the candidates, what other tasks fixed (run roles) and the spec's
 * settings in, the split and the runs left out (with why) out.
 *
 * Rules that always hold, whatever the strategy:
 * - a run hidden by an open task (in its test split) never lands in train: its labels would leak;
 * - a run whose labels were published (a train split, a closed task's test split) never lands in test;
 * - a hidden run that lands in test keeps its part, so one task's public-part oracle (the scores it
 *   returns) can never inform another task's private part;
 * - a run that is both hidden and published, or hidden in both parts, is left out.
 */
import { InputError } from "../errors";
import { Random } from "../util/seeded-random";
import type { RunRole, RunRoles, TestPart } from "../store/run-roles";

export const SPLIT_STRATEGIES = ["random", "chronological"] as const;
export type SplitStrategy = (typeof SPLIT_STRATEGIES)[number];

export interface SplitSettings {
  strategy: SplitStrategy;
  test_fraction: number;
  public_fraction: number;
  /** Seed of the train/test split (the split itself is public, so this seed hides nothing). */
  seed: number;
  /**
   * Seed of the public/private division of the test runs: a secret of the server until the task
   * closes, since with it anyone could tell which test runs the leaderboard scores.
   */
  public_seed: number;
}

export interface SplitCandidate {
  run: number;
  lumisection: number;
  /** 1 = bad, 0 = good. */
  bad: number;
}

/** A run with labelled lumisections that the task leaves out, and why (e.g. "in the test split of open task x"). */
export interface ExcludedRun {
  run: number;
  reason: string;
}

export interface RunSplit<C extends SplitCandidate> {
  train: C[];
  test: C[];
  /** Test runs in the public part; the other test runs are private. */
  publicRuns: Set<number>;
  excluded: ExcludedRun[];
}

/** Each part aims at this many runs with bad lumisections: with one, a ranking is one run's noise. */
export const MIN_BAD_RUNS_PER_PART = 2;

interface RunStats {
  run: number;
  lumisections: number;
  badLumisections: number;
}

/** What the run roles leave open for one run: forced to a side (and part), free, or excluded. */
type Placement =
  | { kind: "free" }
  | { kind: "train"; role: RunRole }
  | { kind: "test"; part: TestPart; role: RunRole }
  | { kind: "excluded"; reason: string };

/** Splits `candidates` (sorted by run and lumisection) by run; throws an InputError naming the runs if it cannot. */
export function splitRuns<C extends SplitCandidate>(
  candidates: C[],
  roles: RunRoles,
  settings: SplitSettings,
): RunSplit<C> {
  const stats = runStats(candidates);
  const excluded: ExcludedRun[] = [];
  const placements = new Map<number, Placement>();
  for (const s of stats) {
    const p = placement(roles.get(s.run));
    if (p.kind === "excluded") excluded.push({ run: s.run, reason: p.reason });
    else placements.set(s.run, p);
  }
  const usable = stats.filter((s) => placements.has(s.run));
  if (usable.length < 3)
    throw new InputError(
      `the task has lumisections of only ${usable.length} run(s): need at least 3 to split by run${leftOut(excluded)}`,
    );
  const rng = new Random(settings.seed);
  const { trainRuns, testRuns } =
    settings.strategy === "chronological"
      ? chronological(usable, placements, settings.test_fraction, excluded)
      : stratifiedRandom(usable, placements, settings.test_fraction, rng);
  if (trainRuns.length === 0 || testRuns.length === 0)
    throw new InputError(
      `the ${trainRuns.length === 0 ? "train" : "test"} split would hold no run${leftOut(excluded)}`,
    );
  const publicRuns = divideTestRuns(
    testRuns,
    placements,
    settings.public_fraction,
    new Random(settings.public_seed),
  );
  const trainSet = new Set(trainRuns.map((s) => s.run));
  const testSet = new Set(testRuns.map((s) => s.run));
  const train = candidates.filter((c) => trainSet.has(c.run));
  const test = candidates.filter((c) => testSet.has(c.run));
  for (const part of ["public", "private"] as const) {
    const rows = test.filter((c) => publicRuns.has(c.run) === (part === "public"));
    if (!rows.some((c) => c.bad === 1) || !rows.some((c) => c.bad === 0))
      throw new InputError(
        `the ${part} test part (runs ${[...new Set(rows.map((c) => c.run))].join(", ") || "none"}) lacks good or bad lumisections: try another split.seed or more runs${leftOut(excluded)}`,
      );
  }
  excluded.sort((a, b) => a.run - b.run);
  return { train, test, publicRuns, excluded };
}

function runStats(candidates: SplitCandidate[]): RunStats[] {
  const byRun = new Map<number, RunStats>();
  for (const c of candidates) {
    let s = byRun.get(c.run);
    if (!s) byRun.set(c.run, (s = { run: c.run, lumisections: 0, badLumisections: 0 }));
    s.lumisections++;
    s.badLumisections += c.bad;
  }
  return [...byRun.values()].sort((a, b) => a.run - b.run);
}

function describeHidden(role: RunRole): string {
  return role.hiddenIn.map((h) => `open task ${h.task} (${h.part} part)`).join(", ");
}

function describeReleased(role: RunRole): string {
  return role.releasedBy
    .map((r) =>
      r.split === "reference"
        ? "its designation as a reference run"
        : r.split === "train"
          ? `the train split of task ${r.task}`
          : `closed task ${r.task}`,
    )
    .join(", ");
}

function placement(role: RunRole | undefined): Placement {
  if (!role || (role.hiddenIn.length === 0 && role.releasedBy.length === 0)) return { kind: "free" };
  if (role.hiddenIn.length > 0 && role.releasedBy.length > 0)
    return {
      kind: "excluded",
      reason: `in the test split of ${describeHidden(role)} but its labels are published by ${describeReleased(role)}`,
    };
  if (role.hiddenIn.length === 0) return { kind: "train", role };
  const parts = new Set(role.hiddenIn.map((h) => h.part));
  if (parts.size > 1)
    return {
      kind: "excluded",
      reason: `in the test split of ${describeHidden(role)}: in both parts, so either part here would be informed by the other`,
    };
  return { kind: "test", part: role.hiddenIn[0].part, role };
}

function shuffle<T>(xs: T[], rng: Random): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

const sum = (runs: RunStats[]) => runs.reduce((a, s) => a + s.lumisections, 0);

/**
 * By run, stratified: runs with bad lumisections and clean runs are shuffled and assigned separately.
 * Bad runs first go to test until each part can get MIN_BAD_RUNS_PER_PART of them (and at least
 * test_fraction of them), keeping one for train once there are more than two per part; clean runs then
 * fill the test split up to test_fraction of the lumisections. Hidden runs are test, released ones train.
 */
function stratifiedRandom(
  usable: RunStats[],
  placements: Map<number, Placement>,
  testFraction: number,
  rng: Random,
): { trainRuns: RunStats[]; testRuns: RunStats[] } {
  const trainRuns: RunStats[] = [];
  const testRuns: RunStats[] = [];
  const free: RunStats[] = [];
  for (const s of usable) {
    const kind = placements.get(s.run)!.kind;
    if (kind === "train") trainRuns.push(s);
    else if (kind === "test") testRuns.push(s);
    else free.push(s);
  }
  const isBad = (s: RunStats) => s.badLumisections > 0;
  const badRuns = usable.filter(isBad).length;
  const wantBadInTest = Math.min(
    Math.max(Math.round(testFraction * badRuns), 2 * MIN_BAD_RUNS_PER_PART),
    badRuns - (badRuns > 2 * MIN_BAD_RUNS_PER_PART ? 1 : 0),
  );
  let badInTest = testRuns.filter(isBad).length;
  for (const s of shuffle(free.filter(isBad), rng)) {
    if (badInTest < wantBadInTest) {
      testRuns.push(s);
      badInTest++;
    } else trainRuns.push(s);
  }
  const target = testFraction * sum(usable);
  let inTest = sum(testRuns);
  const clean = shuffle(
    free.filter((s) => !isBad(s)),
    rng,
  );
  clean.forEach((s, i) => {
    const lastChanceForTrain = trainRuns.length === 0 && i === clean.length - 1;
    if (inTest < target && !lastChanceForTrain) {
      testRuns.push(s);
      inTest += s.lumisections;
    } else trainRuns.push(s);
  });
  return { trainRuns, testRuns };
}

/**
 * Train on earlier runs, test on later ones: the test period is the latest runs that hold
 * test_fraction of the lumisections (counted before exclusions). Hidden runs in the train period and
 * released runs in the test period cannot keep their place and are left out (added to `excluded`).
 */
function chronological(
  usable: RunStats[],
  placements: Map<number, Placement>,
  testFraction: number,
  excluded: ExcludedRun[],
): { trainRuns: RunStats[]; testRuns: RunStats[] } {
  const target = testFraction * sum(usable);
  let first = usable.length;
  let inTest = 0;
  // Walk back from the latest run; the earliest run always stays in train.
  while (first > 1 && inTest < target) inTest += usable[--first].lumisections;
  const startRun = usable[first].run;
  const trainRuns: RunStats[] = [];
  const testRuns: RunStats[] = [];
  usable.forEach((s, i) => {
    const p = placements.get(s.run)!;
    const inTestPeriod = i >= first;
    if (!inTestPeriod && p.kind === "test")
      excluded.push({
        run: s.run,
        reason: `in the test split of ${describeHidden(p.role)}, but before run ${startRun} where this task's test period starts`,
      });
    else if (inTestPeriod && p.kind === "train")
      excluded.push({
        run: s.run,
        reason: `its labels are published by ${describeReleased(p.role)}, but it is in this task's test period (from run ${startRun})`,
      });
    else (inTestPeriod ? testRuns : trainRuns).push(s);
  });
  return { trainRuns, testRuns };
}

/**
 * Divides the test runs into public and private, stratified: runs with bad lumisections and clean runs
 * are shuffled and dealt separately. Bad runs go first to the part with fewer of them until each has
 * MIN_BAD_RUNS_PER_PART, then to the part furthest below its share; clean runs to the part furthest
 * below its share of lumisections. Hidden runs keep the part they have in their open task.
 */
function divideTestRuns(
  testRuns: RunStats[],
  placements: Map<number, Placement>,
  publicFraction: number,
  rng: Random,
): Set<number> {
  const publicRuns = new Set<number>();
  const count = { public: { bad: 0, lumisections: 0 }, private: { bad: 0, lumisections: 0 } };
  const share = { public: publicFraction, private: 1 - publicFraction };
  const put = (s: RunStats, part: TestPart) => {
    if (part === "public") publicRuns.add(s.run);
    count[part].bad += s.badLumisections > 0 ? 1 : 0;
    count[part].lumisections += s.lumisections;
  };
  const free: RunStats[] = [];
  for (const s of [...testRuns].sort((a, b) => a.run - b.run)) {
    const p = placements.get(s.run)!;
    if (p.kind === "test") put(s, p.part);
    else free.push(s);
  }
  // The part whose `measure` is furthest below its share; ties go to the larger share.
  const behind = (measure: (part: TestPart) => number): TestPart => {
    const pub = measure("public") / share.public;
    const priv = measure("private") / share.private;
    return pub < priv || (pub === priv && share.public >= share.private) ? "public" : "private";
  };
  for (const s of shuffle(
    free.filter((r) => r.badLumisections > 0),
    rng,
  )) {
    const short = Math.min(count.public.bad, count.private.bad) < MIN_BAD_RUNS_PER_PART;
    put(
      s,
      short
        ? count.public.bad === count.private.bad
          ? behind(() => 0)
          : count.public.bad < count.private.bad
            ? "public"
            : "private"
        : behind((part) => count[part].bad),
    );
  }
  for (const s of shuffle(
    free.filter((r) => r.badLumisections === 0),
    rng,
  ))
    put(
      s,
      behind((part) => count[part].lumisections),
    );
  return publicRuns;
}

/** "; left out: run 5 (why), run 7 (why)" for error messages, or "" when nothing was left out. */
function leftOut(excluded: ExcludedRun[]): string {
  if (excluded.length === 0) return "";
  return `; left out: ${[...excluded]
    .sort((a, b) => a.run - b.run)
    .map((e) => `run ${e.run} (${e.reason})`)
    .join(", ")}`;
}
