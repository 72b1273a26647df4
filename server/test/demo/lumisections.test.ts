import fs from "node:fs";
import path from "node:path";
import {
  CMS_DATA_DIR,
  countLumisections,
  demoLumisections,
  inRanges,
  intersectRanges,
  normalizeRanges,
  SMALL_SET_WINDOWS,
} from "../../src/demo/lumisections";

function badCount(
  dcs: Map<number, Array<[number, number]>>,
  golden: Map<number, Array<[number, number]>>,
): number {
  let bad = 0;
  for (const [run, ranges] of dcs)
    for (const [a, b] of ranges) for (let ls = a; ls <= b; ls++) if (!inRanges(golden.get(run), ls)) bad++;
  return bad;
}

describe("demo lumisections", () => {
  it("has the whole real 2018 year in the full size", () => {
    const { dcs, golden } = demoLumisections({ size: "full" });
    expect(dcs.size).toBe(681);
    expect(countLumisections(dcs)).toBe(258508);
    expect(golden.size).toBe(478);
    expect(countLumisections(golden)).toBe(234529);
    expect(badCount(dcs, golden)).toBe(258508 - 234529); // golden is inside DCS-only
    const runs = [...dcs.keys()];
    expect(runs).toEqual([...runs].sort((a, b) => a - b));
  });

  it("has a small size of 50 real runs cut to short windows, with 10-20% bad in over 20 of them", () => {
    const { dcs, golden } = demoLumisections({ size: "small" });
    expect(dcs.size).toBe(SMALL_SET_WINDOWS.length);
    const n = countLumisections(dcs);
    expect(n).toBe(1397);
    for (const ranges of dcs.values()) {
      const count = ranges.reduce((s, [a, b]) => s + b - a + 1, 0);
      expect(count).toBeLessThanOrEqual(28);
    }
    const bad = badCount(dcs, golden);
    expect(bad / n).toBeGreaterThan(0.1);
    expect(bad / n).toBeLessThan(0.2);
    // Some runs are good throughout, some partly bad, one rejected whole.
    const badPerRun = [...dcs].map(([run, r]) => badCount(new Map([[run, r]]), golden));
    expect(badPerRun.filter((b) => b === 0).length).toBeGreaterThanOrEqual(5);
    expect(golden.has(317088)).toBe(false);
    expect(badPerRun.filter((b) => b > 0).length).toBeGreaterThanOrEqual(20);
  });

  it("reads the vendored copies, which carry their provenance", () => {
    for (const f of ["json_DCSONLY_2018.txt", "json_GOLDEN_2018.txt", "PROVENANCE.md", "LICENSE_MIT.txt"])
      expect(fs.existsSync(path.join(CMS_DATA_DIR, f))).toBe(true);
  });

  it("sorts and merges ranges, and intersects them", () => {
    expect(
      normalizeRanges([
        [16, 47],
        [1, 15],
        [50, 60],
        [55, 58],
      ]),
    ).toEqual([
      [1, 47],
      [50, 60],
    ]);
    const a = new Map<number, Array<[number, number]>>([
      [1, [[1, 10]]],
      [2, [[1, 5]]],
    ]);
    const b = new Map<number, Array<[number, number]>>([
      [
        1,
        [
          [3, 4],
          [8, 20],
        ],
      ],
    ]);
    expect(intersectRanges(a, b)).toEqual(
      new Map([
        [
          1,
          [
            [3, 4],
            [8, 10],
          ],
        ],
      ]),
    );
    expect(inRanges([[3, 4]], 5)).toBe(false);
    expect(inRanges(undefined, 5)).toBe(false);
  });
});
