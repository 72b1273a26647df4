/**
 * The demo's monitor elements: real names from CMSSW's per-lumisection DQMIO selection, binnings as
 * the DQM modules book them (where ~100 bins fits), and a physical model of each one's shape.
 * Shapes depend on the lumisection's conditions (pileup, gain, multiplicity), so good data varies
 * the way real data does: track multiplicity follows pileup within a fill, pixel charge drifts with
 * radiation damage over the year.
 */
import type { Binning } from "../histograms/record";
import {
  binnedFromCdf,
  lognormalCdf,
  lognormalCdfByMoments,
  moyalCdf,
  normalCdf,
  powerTailCdf,
} from "./shapes";

// Math's functions held in module constants: a global lookup per call is slow inside jest's vm sandbox.
const { PI, abs, cos, max, min, pow, sqrt } = Math;

export type Subsystem = "pixel" | "strip" | "tracking";

/** What a monitor element measures: anomalies act on it according to this. */
export type MonitorElementRole = "charge" | "size" | "occupancy" | "signal-to-noise" | "tracks" | "chi2";

/** Per-lumisection conditions a shape depends on; 1 means nominal for the scales. */
export interface ShapeConditions {
  pileup: number;
  /** Position of a Landau peak relative to nominal (gain, calibration, radiation damage). */
  peakScale: number;
  /** Multiplicity relative to nominal (tracking efficiency). */
  multiplicityScale: number;
  /** Spread relative to nominal (resolution, alignment). */
  widthScale: number;
}

export const NOMINAL_CONDITIONS: Readonly<ShapeConditions> = {
  pileup: 40,
  peakScale: 1,
  multiplicityScale: 1,
  widthScale: 1,
};

export interface MonitorElementSpec {
  name: string;
  kind: "TH1F" | "TH2F";
  binning: Binning;
  subsystem: Subsystem;
  /** Pixel barrel or strip layer, when the element belongs to one. */
  layer: number | null;
  role: MonitorElementRole;
  /** Mean entries of a lumisection that recorded REFERENCE_LUMI (entries scale with luminosity). */
  entriesAtReference: number;
  /** Fraction of the peak position lost to radiation damage by the end of the year (pixel layer 1 most). */
  agingPerYear: number;
  /** Fills `out` (length fullSize(binning), legacy layout with flow) with each bin's probability. */
  shape(c: ShapeConditions, out: Float64Array): void;
}

/** Recorded luminosity of a lumisection near the 2018 peak, fb^-1 (the OMS unit): entries are quoted here. */
export const REFERENCE_LUMI = 4.0e-4;

function binning1d(xbins: number, xmin: number, xmax: number): Binning {
  return { dim: 1, xmin, xmax, xbins, ymin: 0, ymax: 1, ybins: 1 };
}

/** On-track cluster charge (electrons): Landau peak, a low-charge shoulder (split/edge clusters), Landau tail. */
function chargeElement(layer: number, mpv: number, entries: number, aging: number): MonitorElementSpec {
  const binning = binning1d(100, 0, 150e3); // SiPixelPhase1TrackClustersOnTrackCharge
  return {
    name: `PixelPhase1/Tracks/PXBarrel/charge_PXLayer_${layer}`,
    kind: "TH1F",
    binning,
    subsystem: "pixel",
    layer,
    role: "charge",
    entriesAtReference: entries,
    agingPerYear: aging,
    shape(c, out) {
      const peak = mpv * c.peakScale;
      const width = 0.14 * peak * c.widthScale;
      binnedFromCdf(
        binning,
        (x) =>
          0.91 * moyalCdf(x, peak, width) +
          0.04 * normalCdf((x - 0.6 * peak) / (0.25 * peak)) +
          0.05 * powerTailCdf(x, peak, 0.7 * peak, 2.5),
        out,
      );
    },
  };
}

/** Total cluster size in pixels: at least 1, median ~4 in layer 1 (long clusters at high |eta|). */
function sizeElement(layer: number, entries: number): MonitorElementSpec {
  const binning = binning1d(30, 0, 30); // SiPixelPhase1TrackClustersOnTrackSize
  return {
    name: `PixelPhase1/Tracks/PXBarrel/size_PXLayer_${layer}`,
    kind: "TH1F",
    binning,
    subsystem: "pixel",
    layer,
    role: "size",
    entriesAtReference: entries,
    agingPerYear: 0.04,
    // Lower charge (gain) means fewer pixels over threshold: size follows the peak scale mildly.
    shape(c, out) {
      const median = 3.0 * pow(c.peakScale, 0.6) * c.widthScale;
      binnedFromCdf(binning, (x) => lognormalCdf(x - 1, median, 0.65), out);
    },
  };
}

/** Strip cluster signal-to-noise corrected for the track angle: Landau peak ~25 (TIB), ~32 (TOB, thicker). */
function stripElement(part: "TIB" | "TOB", layer: number, mpv: number, entries: number): MonitorElementSpec {
  const binning = binning1d(100, 0, 100);
  return {
    name: `SiStrip/MechanicalView/${part}/layer_${layer}/Summary_ClusterStoNCorr__OnTrack__${part}__layer__${layer}`,
    kind: "TH1F",
    binning,
    subsystem: "strip",
    layer,
    role: "signal-to-noise",
    entriesAtReference: entries,
    agingPerYear: 0.03,
    shape(c, out) {
      const peak = mpv * c.peakScale;
      const width = 0.1 * peak * c.widthScale;
      binnedFromCdf(
        binning,
        (x) =>
          0.91 * moyalCdf(x, peak, width) +
          0.01 * normalCdf((x - 0.4 * peak) / (0.15 * peak)) +
          0.08 * powerTailCdf(x, peak, 0.8 * peak, 2),
        out,
      );
    },
  };
}

const TRACKING = "Tracking/TrackParameters/generalTracks/LSanalysis";

/** Tracks per ZeroBias event: ~20 per pileup interaction, spread of a compound Poisson. */
function tracksElement(entries: number): MonitorElementSpec {
  const binning = binning1d(100, -0.5, 1999.5);
  return {
    name: `${TRACKING}/NumberOfTracks_lumiFlag_GenTk`,
    kind: "TH1F",
    binning,
    subsystem: "tracking",
    layer: null,
    role: "tracks",
    entriesAtReference: entries,
    agingPerYear: 0,
    shape(c, out) {
      const pileup = max(c.pileup, 0.05);
      const mean = 20 * pileup * c.multiplicityScale + 2;
      const sd = 28 * sqrt(pileup) * c.widthScale + 2;
      binnedFromCdf(binning, (x) => lognormalCdfByMoments(x + 0.5, mean, sd), out);
    },
  };
}

/** Track fit chi2/ndof: core near 1, widening slightly with pileup (more shared hits), and a tail of fakes. */
function chi2Element(entries: number): MonitorElementSpec {
  const binning = binning1d(100, -0.5, 49.5); // TrackerCollisionTrackMon Chi2NDF binning
  return {
    name: `${TRACKING}/Chi2oNDF_lumiFlag_GenTk`,
    kind: "TH1F",
    binning,
    subsystem: "tracking",
    layer: null,
    role: "chi2",
    entriesAtReference: entries,
    agingPerYear: 0,
    shape(c, out) {
      const median = (0.9 + 0.002 * c.pileup) * c.widthScale;
      binnedFromCdf(
        binning,
        (x) => 0.93 * lognormalCdf(x, median, 0.4) + 0.07 * lognormalCdf(x, 3 * median, 0.9),
        out,
      );
    },
  };
}

/**
 * Layer 1 of the barrel pixel detector module by module: x = signed module (z) coordinate -4..4,
 * y = signed ladder (phi) coordinate -6..6; the 0 column and row hold no module, as in the real map.
 * A few modules are dead or half-dead all year: they are part of "good" data too.
 */
export const STATIC_MODULE_EFFICIENCY: ReadonlyArray<{ module: number; ladder: number; efficiency: number }> =
  [
    { module: -3, ladder: 4, efficiency: 0 },
    { module: 2, ladder: -5, efficiency: 0 },
    { module: 4, ladder: 1, efficiency: 0.5 },
  ];

function occupancyElement(entries: number): MonitorElementSpec {
  const binning: Binning = { dim: 2, xmin: -4.5, xmax: 4.5, xbins: 9, ymin: -6.5, ymax: 6.5, ybins: 13 };
  const width = binning.xbins + 2;
  const template = new Float64Array(width * (binning.ybins + 2));
  let total = 0;
  for (let y = 0; y < binning.ybins; y++) {
    const ladder = y - 6;
    for (let x = 0; x < binning.xbins; x++) {
      const module = x - 4;
      if (module === 0 || ladder === 0) continue;
      // Digis per module grow with |z|: fewer tracks per area but longer clusters at high |eta|;
      // a mild phi modulation follows the beam spot's offset from the detector axis.
      let w = (1 + 0.09 * abs(module)) * (1 + 0.04 * cos((PI * ladder) / 6));
      for (const m of STATIC_MODULE_EFFICIENCY)
        if (m.module === module && m.ladder === ladder) w *= m.efficiency;
      template[(y + 1) * width + (x + 1)] = w;
      total += w;
    }
  }
  for (let i = 0; i < template.length; i++) template[i] /= total;
  return {
    name: "PixelPhase1/Phase1_MechanicalView/PXBarrel/digi_occupancy_per_SignedModuleCoord_per_SignedLadderCoord_PXLayer_1",
    kind: "TH2F",
    binning,
    subsystem: "pixel",
    layer: 1,
    role: "occupancy",
    entriesAtReference: entries,
    agingPerYear: 0,
    shape(_c, out) {
      out.set(template);
    },
  };
}

/** The catalogue, in the order records are generated for each lumisection. */
export const DEMO_MONITOR_ELEMENTS: readonly MonitorElementSpec[] = [
  chargeElement(1, 19.5e3, 200e3, 0.1),
  chargeElement(2, 21.0e3, 180e3, 0.05),
  chargeElement(3, 21.8e3, 160e3, 0.03),
  chargeElement(4, 22.2e3, 140e3, 0.02),
  sizeElement(1, 200e3),
  occupancyElement(1.0e6),
  stripElement("TIB", 1, 25, 300e3),
  stripElement("TOB", 1, 32, 250e3),
  tracksElement(3000),
  chi2Element(1.0e6),
];

/** Points of the year (fraction of the 2018 run range) where the pixel bias voltage was raised, restoring charge. */
const BIAS_VOLTAGE_STEPS = [0, 0.3, 0.65];

/** Peak-position factor from radiation damage: charge falls with dose and mostly recovers at each bias step. */
export function agingFactor(spec: MonitorElementSpec, yearFraction: number): number {
  if (spec.agingPerYear === 0) return 1;
  const f = min(1, max(0, yearFraction));
  let since = 0;
  for (const step of BIAS_VOLTAGE_STEPS) if (step <= f) since = f - step;
  // Slow permanent loss (strips) plus the sawtooth that bias steps reset (pixels).
  return 1 - spec.agingPerYear * (0.3 * f + 0.7 * min(1, since / 0.35));
}
