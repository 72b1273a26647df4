import {
  agingFactor,
  DEMO_MONITOR_ELEMENTS,
  NOMINAL_CONDITIONS,
  STATIC_MODULE_EFFICIENCY,
} from "../../src/demo/monitor-elements";
import { binnedFromCdf, erfc, moyalCdf, normalCdf, powerTailCdf } from "../../src/demo/shapes";
import { fullSize, splitFlow, type Binning } from "../../src/histograms/record";

function shapeOf(i: number, conditions = NOMINAL_CONDITIONS): Float64Array {
  const spec = DEMO_MONITOR_ELEMENTS[i];
  const p = new Float64Array(fullSize(spec.binning));
  spec.shape({ ...conditions }, p);
  return p;
}

const indexOf = (suffix: string) => DEMO_MONITOR_ELEMENTS.findIndex((m) => m.name.endsWith(suffix));

/** Mean of the interior bins' centres weighted by the shape. */
function meanOf(i: number, conditions = NOMINAL_CONDITIONS): number {
  const b = DEMO_MONITOR_ELEMENTS[i].binning;
  const { data } = splitFlow(shapeOf(i, conditions), b);
  const w = (b.xmax - b.xmin) / b.xbins;
  let s = 0;
  let n = 0;
  data.forEach((p, k) => {
    s += p * (b.xmin + (k + 0.5) * w);
    n += p;
  });
  return s / n;
}

describe("demo monitor elements", () => {
  it("uses real CMS names, one binning each, about 100 bins", () => {
    const names = DEMO_MONITOR_ELEMENTS.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain("PixelPhase1/Tracks/PXBarrel/charge_PXLayer_1");
    expect(names).toContain(
      "Tracking/TrackParameters/generalTracks/LSanalysis/NumberOfTracks_lumiFlag_GenTk",
    );
    for (const m of DEMO_MONITOR_ELEMENTS) {
      expect(m.kind).toBe(m.binning.dim === 1 ? "TH1F" : "TH2F");
      if (m.binning.dim === 1) expect(m.binning).toMatchObject({ ymin: 0, ymax: 1, ybins: 1 });
      expect(fullSize(m.binning)).toBeLessThanOrEqual(200);
    }
    expect(DEMO_MONITOR_ELEMENTS.filter((m) => m.binning.dim === 2)).toHaveLength(1);
  });

  it.each(DEMO_MONITOR_ELEMENTS.map((m, i) => [m.name, i] as const))(
    "%s has a normalized shape, little flow",
    (_n, i) => {
      const p = shapeOf(i);
      expect(p.every((v) => v >= 0)).toBe(true);
      expect(p.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 6);
      const { flow } = splitFlow(p, DEMO_MONITOR_ELEMENTS[i].binning);
      expect(flow.reduce((s, v) => s + v, 0)).toBeLessThan(0.01);
    },
  );

  it("peaks the pixel charge near 20 ke and the strip signal-to-noise near 25 (TIB)", () => {
    const peakAt = (i: number) => {
      const b: Binning = DEMO_MONITOR_ELEMENTS[i].binning;
      const { data } = splitFlow(shapeOf(i), b);
      const k = data.indexOf(Math.max(...data));
      return b.xmin + ((k + 0.5) * (b.xmax - b.xmin)) / b.xbins;
    };
    expect(peakAt(indexOf("charge_PXLayer_1"))).toBeGreaterThan(17e3);
    expect(peakAt(indexOf("charge_PXLayer_1"))).toBeLessThan(23e3);
    expect(peakAt(indexOf("Summary_ClusterStoNCorr__OnTrack__TIB__layer__1"))).toBeGreaterThan(20);
    expect(peakAt(indexOf("Summary_ClusterStoNCorr__OnTrack__TIB__layer__1"))).toBeLessThan(30);
  });

  it("follows the conditions: gain moves the charge, pileup the track multiplicity", () => {
    const charge = indexOf("charge_PXLayer_2");
    expect(meanOf(charge, { ...NOMINAL_CONDITIONS, peakScale: 0.8 }) / meanOf(charge)).toBeCloseTo(0.8, 1);
    const tracks = indexOf("NumberOfTracks_lumiFlag_GenTk");
    const low = meanOf(tracks, { ...NOMINAL_CONDITIONS, pileup: 20 });
    const high = meanOf(tracks, { ...NOMINAL_CONDITIONS, pileup: 50 });
    expect(high / low).toBeCloseTo(2.5, 0);
  });

  it("leaves no module at coordinate 0 of the occupancy map and keeps the static dead modules empty", () => {
    const i = DEMO_MONITOR_ELEMENTS.findIndex((m) => m.binning.dim === 2);
    const b = DEMO_MONITOR_ELEMENTS[i].binning;
    const { data } = splitFlow(shapeOf(i), b);
    const at = (module: number, ladder: number) => data[(ladder + 6) * b.xbins + (module + 4)];
    expect(at(0, 3)).toBe(0);
    expect(at(2, 0)).toBe(0);
    expect(at(1, 1)).toBeGreaterThan(0);
    for (const m of STATIC_MODULE_EFFICIENCY) if (m.efficiency === 0) expect(at(m.module, m.ladder)).toBe(0);
    expect(data.filter((v) => v > 0)).toHaveLength(8 * 12 - 2);
  });

  it("ages the layer-1 charge over the year, recovering at bias steps", () => {
    const l1 = DEMO_MONITOR_ELEMENTS[indexOf("charge_PXLayer_1")];
    expect(agingFactor(l1, 0)).toBe(1);
    expect(agingFactor(l1, 0.29)).toBeLessThan(agingFactor(l1, 0.31));
    expect(agingFactor(l1, 1)).toBeGreaterThan(0.85);
    expect(agingFactor(DEMO_MONITOR_ELEMENTS[indexOf("NumberOfTracks_lumiFlag_GenTk")], 0.5)).toBe(1);
  });
});

describe("demo shape functions", () => {
  it("computes erfc and the normal CDF", () => {
    expect(erfc(0)).toBeCloseTo(1, 6);
    expect(erfc(1)).toBeCloseTo(0.157299, 6);
    expect(erfc(-1)).toBeCloseTo(1.842701, 6);
    expect(erfc(20)).toBe(0);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 5);
  });

  it("bins a CDF with exact under- and overflow", () => {
    const b: Binning = { dim: 1, xmin: 0, xmax: 10, xbins: 5, ymin: 0, ymax: 1, ybins: 1 };
    const out = new Float64Array(7);
    binnedFromCdf(b, (x) => Math.min(1, Math.max(0, (x + 2) / 14)), out);
    expect(Array.from(out).map((v) => +v.toFixed(6))).toEqual(
      [2 / 14, 2 / 14, 2 / 14, 2 / 14, 2 / 14, 2 / 14, 2 / 14].map((v) => +v.toFixed(6)),
    );
    expect(moyalCdf(-1e6, 20, 2)).toBe(0);
    expect(moyalCdf(1e6, 20, 2)).toBeCloseTo(1, 6); // the erfc fit is good to 1.2e-7
    expect(powerTailCdf(5, 10, 1, 2)).toBe(0);
    expect(powerTailCdf(11, 10, 1, 2)).toBeCloseTo(0.75, 9);
    expect(powerTailCdf(11, 10, 1, 3)).toBeCloseTo(0.875, 9);
    expect(powerTailCdf(13, 10, 1, 2.5)).toBeCloseTo(1 - 1 / 32, 9);
  });
});
