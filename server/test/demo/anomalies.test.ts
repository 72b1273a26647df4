import {
  applyBinEdits,
  badStretches,
  planEpisodes,
  SUBTLE_SEVERITY,
  type AnomalyEffect,
} from "../../src/demo/anomalies";
import { readCertificationJson } from "../../src/demo/lumisections";
import { DEMO_MONITOR_ELEMENTS } from "../../src/demo/monitor-elements";

describe("demo anomalies", () => {
  const dcs = readCertificationJson("json_DCSONLY_2018.txt");
  const golden = readCertificationJson("json_GOLDEN_2018.txt");
  const plan = planEpisodes(dcs, golden, DEMO_MONITOR_ELEMENTS, 2018);
  const episodes = [...plan.values()].flat();

  it("finds contiguous bad stretches", () => {
    expect(
      badStretches(
        [
          [1, 10],
          [20, 22],
        ],
        [[3, 8]],
      ),
    ).toEqual([
      [1, 2],
      [9, 10],
      [20, 22],
    ]);
    expect(badStretches([[1, 3]], undefined)).toEqual([[1, 3]]);
  });

  it("plans one episode per bad stretch of 2018, covering every bad lumisection once", () => {
    const covered = episodes.reduce((s, e) => s + e.last - e.first + 1, 0);
    expect(covered).toBe(258508 - 234529);
    expect(episodes.length).toBe(660); // stretches also end where the DCS-only JSON has a gap
  });

  it("mixes the kinds of real failures, some subtle, some not visible", () => {
    const lsOf = (test: (e: (typeof episodes)[number]) => boolean) =>
      episodes.filter(test).reduce((s, e) => s + e.last - e.first + 1, 0) / (258508 - 234529);
    const kinds = new Set(episodes.map((e) => e.kind));
    expect([...kinds].sort()).toEqual(
      [
        "dead-region",
        "gain-shift",
        "hot-bins",
        "low-statistics",
        "no-stable-beams",
        "none",
        "partial-readout",
      ].sort(),
    );
    expect(lsOf((e) => e.kind === "none")).toBeGreaterThan(0.05);
    expect(lsOf((e) => e.kind === "none")).toBeLessThan(0.25);
    expect(lsOf((e) => e.severity < SUBTLE_SEVERITY)).toBeGreaterThan(0.1);
    for (const e of episodes) {
      if (e.kind === "none" || e.kind === "no-stable-beams")
        expect(e.effects.every((x) => x === null)).toBe(true);
      else expect(e.effects.some((x) => x !== null)).toBe(true);
      expect(e.cause.length).toBeGreaterThan(10);
    }
  });

  it("only loses the beams at the end of a run", () => {
    for (const e of episodes.filter((x) => x.kind === "no-stable-beams")) {
      const ranges = dcs.get(e.run)!;
      expect(e.last).toBe(ranges[ranges.length - 1][1]);
      expect(e.last - e.first).toBeLessThan(30);
    }
  });

  it("shifts the gain by 10 to 30%", () => {
    const shifts = episodes
      .filter((e) => e.kind === "gain-shift")
      .flatMap((e) =>
        e.effects.filter((x): x is AnomalyEffect => x !== null && x.peakScale !== 1).map((x) => x.peakScale),
      );
    expect(shifts.length).toBeGreaterThan(0);
    for (const s of shifts) {
      expect(Math.abs(s - 1)).toBeGreaterThanOrEqual(0.1 - 1e-9);
      expect(Math.abs(s - 1)).toBeLessThanOrEqual(0.3 + 1e-9);
    }
  });

  it("depends only on the seed", () => {
    const again = planEpisodes(dcs, golden, DEMO_MONITOR_ELEMENTS, 2018);
    expect([...again.values()].flat()).toEqual(episodes);
    const other = [...planEpisodes(dcs, golden, DEMO_MONITOR_ELEMENTS, 9).values()].flat();
    expect(other.map((e) => e.kind)).not.toEqual(episodes.map((e) => e.kind));
  });

  it("edits bins: depletes and adds noise relative to the largest bin", () => {
    const p = new Float64Array([0.1, 0.5, 0.4]);
    const effect: AnomalyEffect = {
      peakScale: 1,
      multiplicityScale: 1,
      widthScale: 1,
      entriesScale: 1,
      depleted: [1],
      keep: 0.2,
      hot: [{ bin: 0, extra: 0.5 }],
    };
    applyBinEdits(effect, p, 2);
    expect(Array.from(p)).toEqual([0.1 + 0.5 * 0.5 * 2, 0.1, 0.4]);
  });
});
