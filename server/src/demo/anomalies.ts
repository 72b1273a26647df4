/**
 * Anomalies on the lumisections certification rejected, modelled on real tracker failures. Each
 * contiguous stretch of bad lumisections in a run is one episode with one cause, as in real data
 * (a module drops out and stays out until the next reconfiguration). The cause, the monitor
 * elements it shows in, and its severity depend only on (seed, run, first lumisection), so the
 * small set sees exactly the anomalies the full year has on the same lumisections.
 * Some episodes are subtle and some show in none of these monitor elements: certification also
 * rejects lumisections for reasons outside the tracker (muon chambers, calorimeters, trigger).
 */
import type { LumiRanges } from "../ingest/types";
import { Random } from "../util/seeded-random";
import { NOMINAL_CONDITIONS, type MonitorElementSpec } from "./monitor-elements";
import { inRanges } from "./lumisections";

export type AnomalyKind =
  | "none"
  | "dead-region"
  | "hot-bins"
  | "gain-shift"
  | "low-statistics"
  | "partial-readout"
  | "no-stable-beams";

/** How an anomaly changes one monitor element: scales of its shape conditions, then bin edits. */
export interface AnomalyEffect {
  peakScale: number;
  multiplicityScale: number;
  widthScale: number;
  entriesScale: number;
  /** Full-layout bins (with flow) whose probability is multiplied by `keep`: dead modules, lost readout. */
  depleted: number[];
  keep: number;
  /** Full-layout bins that get extra probability, as a multiple of the largest bin: noisy channels. */
  hot: Array<{ bin: number; extra: number }>;
}

export interface Episode {
  run: number;
  first: number;
  last: number;
  kind: AnomalyKind;
  /** 0..1; below SUBTLE_SEVERITY the anomaly is hard to see. */
  severity: number;
  /** Human-readable cause, for documentation and debugging. */
  cause: string;
  /** Effect per monitor element (catalogue order); null where this episode does not show. */
  effects: Array<AnomalyEffect | null>;
}

export const SUBTLE_SEVERITY = 0.35;

const KIND_WEIGHTS: Readonly<Record<AnomalyKind, number>> = {
  none: 0.12,
  "dead-region": 0.2,
  "hot-bins": 0.15,
  "gain-shift": 0.15,
  "low-statistics": 0.1,
  "partial-readout": 0.15,
  "no-stable-beams": 0.1,
};

function neutral(): AnomalyEffect {
  return {
    peakScale: 1,
    multiplicityScale: 1,
    widthScale: 1,
    entriesScale: 1,
    depleted: [],
    keep: 1,
    hot: [],
  };
}

/** Contiguous bad stretches (DCS-on, not golden) of one run. */
export function badStretches(
  dcs: ReadonlyArray<readonly [number, number]>,
  golden: ReadonlyArray<readonly [number, number]> | undefined,
): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const [a, b] of dcs)
    for (let ls = a; ls <= b; ls++) {
      if (inRanges(golden, ls)) continue;
      const last = out[out.length - 1];
      if (last && last[1] === ls - 1) last[1] = ls;
      else out.push([ls, ls]);
    }
  return out;
}

/** Interior bin of a 1D element drawn from its nominal shape, so that edits land where entries are. */
function typicalBin(spec: MonitorElementSpec, rng: Random): number {
  const p = new Float64Array(spec.binning.xbins + 2);
  spec.shape({ ...NOMINAL_CONDITIONS }, p);
  let u = rng.uniform() * p.slice(1, -1).reduce((s, v) => s + v, 0);
  for (let i = 1; i <= spec.binning.xbins; i++) {
    u -= p[i];
    if (u < 0) return i;
  }
  return spec.binning.xbins;
}

/** Full-layout index of a 2D cell given its signed module (x) and ladder (y) coordinates. */
function cell2d(spec: MonitorElementSpec, x: number, y: number): number {
  const b = spec.binning;
  return (y + 1) * (b.xbins + 2) + (x + 1);
}

/** A band of contiguous bins around a typical value ("a chunk of entries missing"). */
function band(spec: MonitorElementSpec, severity: number, rng: Random): number[] {
  const width = 1 + Math.floor(severity * 0.08 * spec.binning.xbins);
  const start = Math.max(1, Math.min(spec.binning.xbins - width + 1, typicalBin(spec, rng) - (width >> 1)));
  return Array.from({ length: width }, (_, i) => start + i);
}

/** Cells of a module map inside [x0, x1] x [y0, y1] (interior indices) that hold a module: coordinate 0 holds none. */
function mapRegion(spec: MonitorElementSpec, x0: number, x1: number, y0: number, y1: number): number[] {
  const b = spec.binning;
  const isZero = (i: number, min: number, max: number, n: number) =>
    Math.abs(min + ((i + 0.5) * (max - min)) / n) < 1e-9;
  const cells: number[] = [];
  for (let y = y0; y <= y1; y++)
    for (let x = x0; x <= x1; x++)
      if (!isZero(x, b.xmin, b.xmax, b.xbins) && !isZero(y, b.ymin, b.ymax, b.ybins))
        cells.push(cell2d(spec, x, y));
  return cells;
}

type Planner = (ctx: {
  catalogue: readonly MonitorElementSpec[];
  effects: Array<AnomalyEffect | null>;
  severity: number;
  rng: Random;
}) => string;

function effectOn(effects: Array<AnomalyEffect | null>, i: number): AnomalyEffect {
  return (effects[i] ??= neutral());
}

function indicesWhere(
  catalogue: readonly MonitorElementSpec[],
  test: (s: MonitorElementSpec) => boolean,
): number[] {
  return catalogue.flatMap((s, i) => (test(s) ? [i] : []));
}

/** Tracking sees detector losses as fewer, slightly worse tracks. */
function tracksSuffer(
  catalogue: readonly MonitorElementSpec[],
  effects: Array<AnomalyEffect | null>,
  loss: number,
): void {
  for (const i of indicesWhere(catalogue, (s) => s.role === "tracks"))
    effectOn(effects, i).multiplicityScale *= 1 - loss;
  for (const i of indicesWhere(catalogue, (s) => s.role === "chi2"))
    effectOn(effects, i).widthScale *= 1 + loss;
}

const PLANNERS: Readonly<Record<AnomalyKind, Planner>> = {
  none: () => "rejected for a reason outside the tracker: nothing visible here",
  "no-stable-beams": () => "beams lost before the end of the run: no luminosity",
  "dead-region": ({ catalogue, effects, severity, rng }) => {
    const strips = rng.chance(0.3);
    const layer = strips ? 1 : rng.chance(0.5) ? 1 : 2 + rng.int(3);
    const subsystem = strips ? "strip" : "pixel";
    const targets = indicesWhere(catalogue, (s) => s.subsystem === subsystem && s.layer === layer);
    if (strips) targets.splice(1 + rng.int(targets.length)); // TIB or both layers
    for (const i of targets) {
      const spec = catalogue[i];
      const e = effectOn(effects, i);
      if (spec.binning.dim === 2) {
        const w = 1 + Math.floor(severity * 2.5);
        const h = 1 + Math.floor(severity * 3.5);
        const x0 = rng.int(spec.binning.xbins - w + 1);
        const y0 = rng.int(spec.binning.ybins - h + 1);
        e.depleted = mapRegion(spec, x0, x0 + w - 1, y0, y0 + h - 1);
        // A subtle case loses a few of a module's 16 readout chips; a clear one whole modules.
        e.keep = severity < SUBTLE_SEVERITY ? 1 - (1 + Math.floor(severity * 9)) / 16 : 0;
      } else {
        e.depleted = band(spec, severity, rng);
        e.keep = 1 - severity;
        e.entriesScale *= 1 - 0.1 * severity;
      }
    }
    tracksSuffer(catalogue, effects, 0.04 * severity);
    return `dead ${subsystem} modules in layer ${layer}`;
  },
  "hot-bins": ({ catalogue, effects, severity, rng }) => {
    const strips = rng.chance(0.35);
    const layer = strips ? 1 : rng.chance(0.6) ? 1 : 2 + rng.int(3);
    const subsystem = strips ? "strip" : "pixel";
    const targets = indicesWhere(catalogue, (s) => s.subsystem === subsystem && s.layer === layer);
    for (const i of targets) {
      const spec = catalogue[i];
      const e = effectOn(effects, i);
      const n = 1 + rng.int(severity > 0.6 ? 3 : 2);
      for (let k = 0; k < n; k++) {
        let bin: number;
        if (spec.binning.dim === 2) {
          const cells = mapRegion(spec, 0, spec.binning.xbins - 1, 0, spec.binning.ybins - 1);
          bin = rng.pick(cells);
        } else if (spec.role === "size")
          bin = 2; // single-pixel noise clusters: size 1
        else bin = 1 + Math.max(1, Math.floor(spec.binning.xbins * rng.between(0.02, 0.08))); // low charge / low S/N
        // Quadratic in severity: a subtle noisy channel hides in the bin's own fluctuations.
        const extra = (spec.binning.dim === 2 ? 2.5 : 0.6) * severity * severity * rng.between(0.5, 1.5);
        e.hot.push({ bin, extra });
      }
    }
    return `noisy ${subsystem} channels in layer ${layer}`;
  },
  "gain-shift": ({ catalogue, effects, severity, rng }) => {
    const strips = rng.chance(0.35);
    const shift = (rng.chance(0.7) ? -1 : 1) * (0.1 + 0.2 * severity);
    const layer = 1 + rng.int(4);
    const targets = strips
      ? indicesWhere(catalogue, (s) => s.role === "signal-to-noise")
      : indicesWhere(catalogue, (s) => (s.role === "charge" || s.role === "size") && s.layer === layer);
    if (strips) targets.splice(1 + rng.int(targets.length)); // TIB or both layers
    for (const i of targets) effectOn(effects, i).peakScale *= 1 + shift;
    const where = strips ? "strip" : `pixel layer ${layer}`;
    return `${where} gain / calibration off by ${Math.round(shift * 100)}%`;
  },
  "low-statistics": ({ catalogue, effects, severity }) => {
    const scale = 0.03 + 0.3 * (1 - severity);
    for (let i = 0; i < catalogue.length; i++) effectOn(effects, i).entriesScale *= scale;
    return `trigger or DAQ problem: ${Math.round(scale * 100)}% of the usual events`;
  },
  "partial-readout": ({ catalogue, effects, severity, rng }) => {
    const strips = rng.chance(0.35);
    const lost = 0.05 + 0.6 * severity;
    if (strips) {
      for (const i of indicesWhere(catalogue, (s) => s.subsystem === "strip"))
        effectOn(effects, i).entriesScale *= 1 - lost;
      tracksSuffer(catalogue, effects, 0.1 * lost);
      return `strip readout partly lost: ${Math.round(lost * 100)}% of the clusters`;
    }
    // A pixel FED out: one sector of ladders on one side of the detector, all barrel layers.
    for (const i of indicesWhere(catalogue, (s) => s.subsystem === "pixel")) {
      const spec = catalogue[i];
      const e = effectOn(effects, i);
      if (spec.binning.dim === 2) {
        const size = 2 + Math.floor(severity * 4);
        const y0 = rng.int(spec.binning.ybins - size + 1);
        e.depleted = mapRegion(spec, 0, spec.binning.xbins - 1, y0, y0 + size - 1);
        e.keep = 1 - lost;
      } else e.entriesScale *= 1 - lost * 0.25;
    }
    tracksSuffer(catalogue, effects, 0.15 * lost);
    return `pixel readout partly lost: ${Math.round(lost * 100)}% of a sector`;
  },
};

/**
 * Plans the episodes of every bad stretch. `no-stable-beams` is only drawn for a short stretch
 * that ends the run (a beam dump), as in real data.
 */
export function planEpisodes(
  dcs: LumiRanges,
  golden: LumiRanges,
  catalogue: readonly MonitorElementSpec[],
  seed: number,
): Map<number, Episode[]> {
  const plan = new Map<number, Episode[]>();
  for (const [run, ranges] of dcs) {
    const lastLs = ranges[ranges.length - 1][1];
    const episodes = badStretches(ranges, golden.get(run)).map(([first, last]): Episode => {
      const rng = new Random(seed, run, first, 0x616e6f6d); // "anom"
      const beamDumpPossible = last === lastLs && last - first < 30;
      const weights = beamDumpPossible ? KIND_WEIGHTS : { ...KIND_WEIGHTS, "no-stable-beams": 0 };
      const kind = rng.weighted(weights);
      const severity = rng.chance(0.25) ? rng.between(0.1, SUBTLE_SEVERITY) : rng.between(0.5, 1);
      const effects: Array<AnomalyEffect | null> = catalogue.map(() => null);
      const cause = PLANNERS[kind]({ catalogue, effects, severity, rng });
      return { run, first, last, kind, severity, cause, effects };
    });
    if (episodes.length > 0) plan.set(run, episodes);
  }
  return plan;
}

/** Applies the bin edits of an effect to a shape (probabilities in the full layout). */
export function applyBinEdits(effect: AnomalyEffect, p: Float64Array, hotJitter: number): void {
  if (effect.hot.length > 0) {
    let max = 0;
    for (let i = 0; i < p.length; i++) if (p[i] > max) max = p[i];
    for (const h of effect.hot) p[h.bin] += h.extra * max * hotJitter;
  }
  for (const i of effect.depleted) p[i] *= effect.keep;
}
