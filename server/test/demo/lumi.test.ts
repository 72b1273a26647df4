import { lumisectionMetadata, LUMISECTION_SECONDS, planFills } from "../../src/demo/lumi";
import { readCertificationJson } from "../../src/demo/lumisections";
import { Random } from "../../src/util/seeded-random";

describe("demo luminosity", () => {
  const dcs = readCertificationJson("json_DCSONLY_2018.txt");
  const plan = planFills(dcs, 2018);

  it("puts every 2018 run into a fill, fills in ascending order, runs of a fill one after another", () => {
    expect(plan.size).toBe(681);
    const runs = [...plan.values()];
    for (let i = 1; i < runs.length; i++) {
      expect(runs[i].fill).toBeGreaterThanOrEqual(runs[i - 1].fill);
      if (runs[i].fill === runs[i - 1].fill)
        expect(runs[i].startSeconds).toBeGreaterThan(runs[i - 1].startSeconds);
    }
    const fills = new Set(runs.map((r) => r.fill));
    expect(fills.size).toBeGreaterThan(100);
    expect(fills.size).toBeLessThan(681);
    // Intensity ramp-up: the first fills have few bunches, then 2556.
    expect(runs[0].bunches).toBeLessThan(100);
    expect(runs[runs.length - 1].bunches).toBe(2556);
  });

  it("is the same for the same seed", () => {
    expect(planFills(dcs, 2018)).toEqual(plan);
    expect(planFills(dcs, 1)).not.toEqual(plan);
  });

  it("decays luminosity within a fill, with pileup proportional to luminosity per bunch", () => {
    const rc = [...plan.values()].find((r) => r.bunches === 2556)!;
    const at = (ls: number) => lumisectionMetadata(rc, ls, true, new Random(1, ls));
    const [early, late] = [at(1), at(800)];
    expect(late.deliveredLumi!).toBeLessThan(early.deliveredLumi!);
    expect(late.pileup! / early.pileup!).toBeCloseTo(late.deliveredLumi! / early.deliveredLumi!, 1);
    const hours = (799 * LUMISECTION_SECONDS) / 3600;
    expect(late.pileup! / early.pileup!).toBeCloseTo(Math.exp((-hours * 3600) / rc.lifetimeSeconds), 1);
    // 2018 peak: ~2e34 cm^-2 s^-1, i.e. ~4.7e-4 fb^-1 per lumisection, pileup ~55.
    expect(early.deliveredLumi!).toBeGreaterThan(1e-4);
    expect(early.deliveredLumi!).toBeLessThan(6e-4);
    expect(early.pileup!).toBeGreaterThan(20);
    expect(early.pileup!).toBeLessThan(70);
    expect(early).toMatchObject({
      run: rc.run,
      lumisection: 1,
      fill: rc.fill,
      physicsFlag: true,
      beamsStable: true,
      cmsActive: true,
    });
    expect(early.recordedLumi!).toBeLessThanOrEqual(early.deliveredLumi!);
  });

  it("gives no luminosity and no physics without stable beams", () => {
    const rc = plan.values().next().value!;
    const m = lumisectionMetadata(rc, 3, false, new Random(1));
    expect(m).toMatchObject({ pileup: 0, physicsFlag: false, beamsStable: false, cmsActive: true });
    expect(m.deliveredLumi!).toBeLessThan(2e-8);
    expect(m.recordedLumi!).toBeLessThanOrEqual(m.deliveredLumi!);
  });
});
