/**
 * The demo data set: simulated per-lumisection histograms on the real 2018 run and lumisection
 * structure, labelled by the real 2018 certification. Everything is generated lazily, run by run,
 * lumisection by lumisection, monitor element by monitor element, so the full year (2.6 million
 * histograms) streams in bounded memory. Each (run, lumisection, monitor element) draws from its
 * own seeded stream: the output depends only on (seed, size), and the small set's histograms are
 * exactly the full year's on the same lumisections.
 */
import { fullSize, splitFlow, type Binning, type HistogramRecord } from "../histograms/record";
import type { LumiRanges, LumisectionMetadata } from "../ingest/types";
import { applyBinEdits, planEpisodes, type Episode } from "./anomalies";
import { planFills, lumisectionMetadata, type RunBeamConditions } from "./lumi";
import {
  countLumisections,
  demoLumisections,
  DCS_FILE,
  GOLDEN_FILE,
  readCertificationJson,
  type DemoSize,
} from "./lumisections";
import { agingFactor, DEMO_MONITOR_ELEMENTS, REFERENCE_LUMI, type ShapeConditions } from "./monitor-elements";
import { Random } from "../util/seeded-random";

export { demoLumisections, type DemoSize } from "./lumisections";

/** Bumped whenever the generated output changes, so stores can tell demo versions apart. */
export const DEMO_GENERATOR_VERSION = "2";
export const DEFAULT_SEED = 2018;

/** Recorded luminosity used for lumisections without beam: a few stray events (beam gas, noise). */
const NO_BEAM_LUMI = 2e-7;

export interface DemoMonitorElement {
  name: string;
  kind: "TH1F" | "TH2F";
  binning: Binning;
}

export interface DemoDataSet {
  name: "demo-2018";
  version: string;
  size: DemoSize;
  seed: number;
  era: "2018";
  primaryDataset: "ZeroBias";
  description: string;
  monitorElements: DemoMonitorElement[];
  /** Real golden JSON, restricted to the chosen lumisections. */
  golden: LumiRanges;
  /** Real DCS-only JSON, restricted to the chosen lumisections: every lumisection of the data set. */
  dcs: LumiRanges;
  /** Number of lumisections. */
  count: number;
  metadata(): Iterable<LumisectionMetadata>;
  records(): Iterable<HistogramRecord>;
}

/** Everything about a year that does not depend on which lumisections are generated. */
interface YearPlan {
  fills: Map<number, RunBeamConditions>;
  episodes: Map<number, Episode[]>;
  firstRun: number;
  lastRun: number;
}

function planYear(seed: number): YearPlan {
  const dcs = readCertificationJson(DCS_FILE);
  const golden = readCertificationJson(GOLDEN_FILE);
  const runs = [...dcs.keys()];
  return {
    fills: planFills(dcs, seed),
    episodes: planEpisodes(dcs, golden, DEMO_MONITOR_ELEMENTS, seed),
    firstRun: runs[0],
    lastRun: runs[runs.length - 1],
  };
}

/** Stream tags, so that metadata and each monitor element draw independent numbers. */
const STREAM_METADATA = 0;
const STREAM_RUN = 0x72756e;

interface LumisectionState {
  run: number;
  lumisection: number;
  meta: LumisectionMetadata;
  episode: Episode | null;
}

/** Walks the chosen lumisections in order, with their metadata and the episode that covers each. */
function* walk(plan: YearPlan, dcs: LumiRanges, seed: number): Generator<LumisectionState> {
  for (const [run, ranges] of dcs) {
    const rc = plan.fills.get(run);
    if (!rc) throw new Error(`run ${run} is not in the 2018 DCS-only JSON`);
    const episodes = plan.episodes.get(run) ?? [];
    let e = 0;
    for (const [first, last] of ranges)
      for (let ls = first; ls <= last; ls++) {
        while (e < episodes.length && episodes[e].last < ls) e++;
        const episode = e < episodes.length && episodes[e].first <= ls ? episodes[e] : null;
        const stable = episode?.kind !== "no-stable-beams";
        const meta = lumisectionMetadata(rc, ls, stable, new Random(seed, run, ls, STREAM_METADATA));
        yield { run, lumisection: ls, meta, episode };
      }
  }
}

function* generateRecords(
  plan: YearPlan,
  dcs: LumiRanges,
  seed: number,
  source: string,
): Generator<HistogramRecord> {
  const catalogue = DEMO_MONITOR_ELEMENTS;
  const scratch = catalogue.map((s) => new Float64Array(fullSize(s.binning)));
  let currentRun = -1;
  let runPeak: number[] = [];
  let ordinal = 0;
  for (const ls of walk(plan, dcs, seed)) {
    if (ls.run !== currentRun) {
      // Calibrations change a little from run to run: a per-run jitter on top of the year's aging.
      currentRun = ls.run;
      const rng = new Random(seed, ls.run, STREAM_RUN);
      const yearFraction = (ls.run - plan.firstRun) / (plan.lastRun - plan.firstRun);
      runPeak = catalogue.map((spec) => agingFactor(spec, yearFraction) * (1 + 0.01 * rng.normal()));
    }
    ordinal++;
    const lumi = ls.meta.beamsStable ? (ls.meta.recordedLumi ?? 0) : NO_BEAM_LUMI;
    for (let i = 0; i < catalogue.length; i++) {
      const spec = catalogue[i];
      const rng = new Random(seed, ls.run, ls.lumisection, i + 1);
      const effect = ls.episode?.effects[i] ?? null;
      const conditions: ShapeConditions = {
        pileup: ls.meta.pileup ?? 0,
        peakScale: runPeak[i] * (effect?.peakScale ?? 1),
        multiplicityScale: effect?.multiplicityScale ?? 1,
        widthScale: effect?.widthScale ?? 1,
      };
      const p = scratch[i];
      spec.shape(conditions, p);
      if (effect) applyBinEdits(effect, p, rng.between(0.7, 1.3));
      // Each bin is Poisson around its share of the expected entries, so the total is Poisson too
      // and `entries` is exactly the sum of all bins, flow included.
      const expected = (spec.entriesAtReference * lumi * (effect?.entriesScale ?? 1)) / REFERENCE_LUMI;
      let entries = 0;
      for (let j = 0; j < p.length; j++) {
        const n = rng.poisson(expected * p[j]);
        p[j] = n;
        entries += n;
      }
      const { data, flow } = splitFlow(p, spec.binning);
      yield {
        run: ls.run,
        lumisection: ls.lumisection,
        me: spec.name,
        kind: spec.kind,
        binning: spec.binning,
        entries,
        data,
        flow,
        source: { file: source, line: ordinal },
      };
    }
  }
}

/**
 * Metadata and histograms for any subset of the 2018 DCS-only lumisections (runs ascending, ranges
 * sorted). A lumisection gets the same metadata and histograms whatever else is in the subset.
 */
export function simulateLumisections(
  dcs: LumiRanges,
  seed: number,
  source = `demo-2018 (seed ${seed})`,
): { metadata(): Iterable<LumisectionMetadata>; records(): Iterable<HistogramRecord> } {
  let plan: YearPlan | undefined;
  const yearPlan = () => (plan ??= planYear(seed));
  return {
    *metadata() {
      for (const ls of walk(yearPlan(), dcs, seed)) yield ls.meta;
    },
    records() {
      return generateRecords(yearPlan(), dcs, seed, source);
    },
  };
}

/** The demo data set for a size and seed (default 2018); nothing is generated until iterated. */
export function generateDemo(opts: { size: DemoSize; seed?: number }): DemoDataSet {
  const seed = opts.seed ?? DEFAULT_SEED;
  const { dcs, golden } = demoLumisections({ size: opts.size });
  const count = countLumisections(dcs);
  const simulated = simulateLumisections(dcs, seed, `demo-2018 (${opts.size}, seed ${seed})`);
  return {
    name: "demo-2018",
    version: DEMO_GENERATOR_VERSION,
    size: opts.size,
    seed,
    era: "2018",
    primaryDataset: "ZeroBias",
    description:
      `Simulated per-lumisection tracker histograms (${DEMO_MONITOR_ELEMENTS.length} monitor elements, ZeroBias) ` +
      `on the real 2018 runs and lumisections (${dcs.size} runs, ${count} lumisections, ${opts.size} size, seed ${seed}). ` +
      "Labels are the real 2018 certification: bad = DCS-on but not in the golden JSON. " +
      "Histograms follow a simulated luminosity; bad lumisections carry simulated detector failures.",
    monitorElements: DEMO_MONITOR_ELEMENTS.map((s) => ({ name: s.name, kind: s.kind, binning: s.binning })),
    golden,
    dcs,
    count,
    metadata: () => simulated.metadata(),
    records: () => simulated.records(),
  };
}
