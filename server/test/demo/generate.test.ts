import crypto from "node:crypto";
import { generateDemo, simulateLumisections } from "../../src/demo/generate";
import { planEpisodes } from "../../src/demo/anomalies";
import { inRanges, readCertificationJson } from "../../src/demo/lumisections";
import { DEMO_MONITOR_ELEMENTS } from "../../src/demo/monitor-elements";
import { flowSize, interiorSize, type HistogramRecord } from "../../src/histograms/record";
import type { LumiRanges } from "../../src/ingest/types";

function hashRecords(records: Iterable<HistogramRecord>): string {
  const h = crypto.createHash("sha256");
  for (const r of records) {
    h.update(`${r.run}:${r.lumisection}:${r.me}:${r.entries}:`);
    h.update(Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength));
    if (r.flow) h.update(Buffer.from(r.flow.buffer, r.flow.byteOffset, r.flow.byteLength));
  }
  return h.digest("hex");
}

const key = (run: number, ls: number) => `${run}:${ls}`;

describe("demo data set, small size", () => {
  const demo = generateDemo({ size: "small" });
  const records = [...demo.records()];
  const metadata = [...demo.metadata()];
  const isBad = (run: number, ls: number) => !inRanges(demo.golden.get(run), ls);

  it("describes itself", () => {
    expect(demo).toMatchObject({
      name: "demo-2018",
      size: "small",
      seed: 2018,
      era: "2018",
      primaryDataset: "ZeroBias",
    });
    expect(demo.description).toContain("2018");
    expect(demo.monitorElements.map((m) => m.name)).toEqual(DEMO_MONITOR_ELEMENTS.map((m) => m.name));
    expect(demo.count).toBe(1397);
    expect(demo.dcs.size).toBe(50);
  });

  it("is deterministic for a seed and changes with the seed", () => {
    const h = hashRecords(records);
    expect(hashRecords(generateDemo({ size: "small" }).records())).toBe(h);
    expect(hashRecords(generateDemo({ size: "small", seed: 2018 }).records())).toBe(h);
    expect(hashRecords(generateDemo({ size: "small", seed: 7 }).records())).not.toBe(h);
  });

  it("has every monitor element for every lumisection, in run, lumisection, element order", () => {
    expect(records.length).toBe(demo.count * demo.monitorElements.length);
    const names = demo.monitorElements.map((m) => m.name);
    const seen: string[] = [];
    records.forEach((r, i) => {
      expect(r.me).toBe(names[i % names.length]);
      if (i % names.length === 0) seen.push(key(r.run, r.lumisection));
      else expect(key(r.run, r.lumisection)).toBe(seen[seen.length - 1]);
    });
    const expected: string[] = [];
    for (const [run, ranges] of demo.dcs)
      for (const [a, b] of ranges) for (let ls = a; ls <= b; ls++) expected.push(key(run, ls));
    expect(seen).toEqual(expected);
  });

  it("gives each record its binning's lengths, legacy flow bins, and entries equal to the sum of all bins", () => {
    const byName = new Map(demo.monitorElements.map((m) => [m.name, m]));
    const problems: string[] = [];
    let overflowed = 0;
    // Without stable beams a lumisection records a few stray events: possibly none, flow a large share.
    const beamless = new Set(
      [...demo.metadata()].filter((m) => !m.beamsStable).map((m) => key(m.run, m.lumisection)),
    );
    expect(beamless.size).toBeGreaterThan(0);
    for (const r of records) {
      const me = byName.get(r.me)!;
      const where = `${r.run}:${r.lumisection} ${r.me}`;
      if (r.kind !== me.kind || r.binning !== me.binning) problems.push(`${where}: kind or binning`);
      if (!(r.data instanceof Float32Array) || r.data.length !== interiorSize(r.binning))
        problems.push(`${where}: data`);
      if (!(r.flow instanceof Float32Array) || r.flow.length !== flowSize(r.binning))
        problems.push(`${where}: flow`);
      let sum = 0;
      let flow = 0;
      for (const v of r.data) sum += v;
      for (const v of r.flow ?? []) flow += v;
      const stray = beamless.has(key(r.run, r.lumisection));
      if (sum + flow !== r.entries || (r.entries <= 0 && !stray))
        problems.push(`${where}: entries ${r.entries} vs ${sum + flow}`);
      if (flow > 0.02 * r.entries && !stray) problems.push(`${where}: flow ${flow} of ${r.entries}`);
      if (r.binning.dim === 1 && r.flow![1] > 0) overflowed++;
    }
    expect(problems).toEqual([]);
    expect(overflowed).toBeGreaterThan(0);
  });

  it("gives OMS-style metadata for every lumisection, with pileup following luminosity", () => {
    expect(metadata.map((m) => key(m.run, m.lumisection))).toEqual(
      records.filter((_, i) => i % demo.monitorElements.length === 0).map((r) => key(r.run, r.lumisection)),
    );
    for (const m of metadata) {
      expect(m.fill).toBeGreaterThan(6000);
      expect(m.recordedLumi!).toBeLessThanOrEqual(m.deliveredLumi!);
      if (m.beamsStable) {
        expect(m.physicsFlag).toBe(true);
        expect(m.deliveredLumi!).toBeGreaterThan(1e-6);
        expect(m.pileup!).toBeGreaterThan(1);
        expect(m.pileup!).toBeLessThan(80);
      }
    }
    expect(new Set(metadata.map((m) => m.fill)).size).toBeGreaterThan(5);
  });

  it("scales entries with the recorded luminosity", () => {
    const lumi = new Map(metadata.map((m) => [key(m.run, m.lumisection), m.recordedLumi ?? 0]));
    const charge = records.filter((r) => r.me.endsWith("charge_PXLayer_3") && !isBad(r.run, r.lumisection));
    const xs = charge.map((r) => lumi.get(key(r.run, r.lumisection))!);
    const ys = charge.map((r) => r.entries);
    const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    const [mx, my] = [mean(xs), mean(ys)];
    let sxy = 0;
    let sxx = 0;
    let syy = 0;
    xs.forEach((x, i) => {
      sxy += (x - mx) * (ys[i] - my);
      sxx += (x - mx) ** 2;
      syy += (ys[i] - my) ** 2;
    });
    expect(sxy / Math.sqrt(sxx * syy)).toBeGreaterThan(0.95);
  });

  it("makes bad lumisections farther from the mean good histogram than good ones, on average", () => {
    const normalized = (r: HistogramRecord) => {
      const total = r.data.reduce((s, v) => s + v, 0);
      return Array.from(r.data, (v) => (total > 0 ? v / total : 0));
    };
    const meanGood = new Map<string, number[]>();
    const counts = new Map<string, number>();
    for (const r of records) {
      if (isBad(r.run, r.lumisection)) continue;
      const acc = meanGood.get(r.me) ?? new Array<number>(r.data.length).fill(0);
      normalized(r).forEach((v, i) => (acc[i] += v));
      meanGood.set(r.me, acc);
      counts.set(r.me, (counts.get(r.me) ?? 0) + 1);
    }
    for (const [me, acc] of meanGood) acc.forEach((v, i) => (acc[i] = v / counts.get(me)!));
    // Chi2 distance of each normalized histogram to the mean good one, per element; a lumisection's
    // score sums them in units of each element's mean over good lumisections (elements differ in
    // how much good data varies: track multiplicity follows pileup).
    const distances = new Map<string, Map<string, number>>();
    for (const r of records) {
      const q = meanGood.get(r.me)!;
      let d = 0;
      normalized(r).forEach((p, i) => {
        if (p + q[i] > 0) d += (p - q[i]) ** 2 / (p + q[i]);
      });
      const k = key(r.run, r.lumisection);
      if (!distances.has(k)) distances.set(k, new Map());
      distances.get(k)!.set(r.me, d);
    }
    const goodScale = new Map<string, number>();
    for (const [k, perMe] of distances) {
      const [run, ls] = k.split(":").map(Number);
      if (isBad(run, ls)) continue;
      for (const [me, d] of perMe) goodScale.set(me, (goodScale.get(me) ?? 0) + d / counts.get(me)!);
    }
    const good: number[] = [];
    const bad: number[] = [];
    for (const [k, perMe] of distances) {
      const [run, ls] = k.split(":").map(Number);
      let score = 0;
      for (const [me, d] of perMe) score += d / goodScale.get(me)!;
      (isBad(run, ls) ? bad : good).push(score);
    }
    const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    expect(mean(bad)).toBeGreaterThan(3 * mean(good));
    // Many bad lumisections stand out, but not all: some anomalies are subtle or invisible.
    const worstGood = Math.max(...good);
    const standOut = bad.filter((d) => d > worstGood).length / bad.length;
    expect(standOut).toBeGreaterThan(0.3);
    expect(standOut).toBeLessThan(0.95);
  });
});

describe("demo data set, full size", () => {
  it("covers the whole 2018 year without generating anything up front", () => {
    const demo = generateDemo({ size: "full" });
    expect(demo.count).toBe(258508);
    expect(demo.dcs.size).toBe(681);
    expect(demo.golden.size).toBe(478);
    expect(demo.monitorElements).toHaveLength(10);
    expect(demo.description).toContain("258508 lumisections");
  });
});

describe("simulated lumisections", () => {
  it("gives a lumisection the same histograms whatever else is generated", () => {
    const small = generateDemo({ size: "small" });
    const one: LumiRanges = new Map([[316380, [[700, 710]]]]);
    const alone = [...simulateLumisections(one, 2018).records()];
    const inSmall = [...small.records()].filter(
      (r) => r.run === 316380 && r.lumisection >= 700 && r.lumisection <= 710,
    );
    expect(hashRecords(alone)).toBe(hashRecords(inSmall));
  });

  it("gives lumisections without stable beams no luminosity and few entries", () => {
    const dcs = readCertificationJson("json_DCSONLY_2018.txt");
    const golden = readCertificationJson("json_GOLDEN_2018.txt");
    const episode = [...planEpisodes(dcs, golden, DEMO_MONITOR_ELEMENTS, 2018).values()]
      .flat()
      .find((e) => e.kind === "no-stable-beams" && e.first > 5)!;
    const window: LumiRanges = new Map([[episode.run, [[episode.first - 5, episode.last]]]]);
    const sim = simulateLumisections(window, 2018);
    const meta = [...sim.metadata()];
    const beamless = meta.filter((m) => m.lumisection >= episode.first);
    expect(beamless.every((m) => m.beamsStable === false && m.physicsFlag === false && m.pileup === 0)).toBe(
      true,
    );
    expect(beamless.every((m) => m.deliveredLumi! < 1e-7)).toBe(true);
    const charge = [...sim.records()].filter((r) => r.me.endsWith("charge_PXLayer_1"));
    const before = charge.filter((r) => r.lumisection < episode.first).map((r) => r.entries);
    const after = charge.filter((r) => r.lumisection >= episode.first).map((r) => r.entries);
    expect(Math.max(...after)).toBeLessThan(0.01 * Math.min(...before));
  });

  it("refuses a run that is not in the 2018 DCS-only JSON", () => {
    const sim = simulateLumisections(new Map([[1, [[1, 2]]]]), 2018);
    expect(() => [...sim.records()]).toThrow("run 1 is not in the 2018 DCS-only JSON");
    expect(() => [...sim.metadata()]).toThrow("run 1 is not in the 2018 DCS-only JSON");
  });
});
