import { runReferences, runRelative } from "../src/index";
import { bins1d, splitTable } from "./helpers/tables";

const ME = "Pixel/charge";
const rows = [
  [1, 2, 1],
  [1, 2, 1],
  [4, 0, 0],
  [0, 2, 2],
  [0, 2, 2],
];
const table = splitTable({
  runs: [1, 1, 1, 2, 2],
  lumisections: [1, 2, 3, 1, 2],
  labels: [0, 0, 1, 0, 0],
  mes: [{ name: ME, binning: bins1d(3), flow: false, rows }],
});

describe("runRelative", () => {
  test("lumisection minus run median, run median minus the latest earlier reference run", () => {
    const references = runReferences(table, { normalize: "l1" });
    expect(Array.from(references.get(1)!)).toEqual([0.25, 0.5, 0.25]);
    expect(Array.from(references.get(2)!)).toEqual([0, 0.5, 0.5]);
    const x = runRelative(table, { normalize: "l1", references });
    expect(x.shape).toEqual([5, 6]); // no recorded_lumi column: no hit rate
    expect(Array.from(x.row(2))).toEqual([0.75, -0.5, -0.25, 0, 0, 0]);
    // Run 2 against itself is zero; excluding its own run, it is compared with run 1.
    expect(Array.from(x.row(3)).slice(3)).toEqual([0, 0, 0]);
    const own = runRelative(table, { normalize: "l1", references, excludeOwnRun: true, select: "good" });
    expect(own.rows).toBe(4);
    expect(Array.from(own.row(2)).slice(3)).toEqual([-0.25, 0, 0.25]);
  });
});

describe("runRelative hit rates", () => {
  test("one block of width 1 per monitor element: log entries per lumi minus the run's median", () => {
    const withLumi = splitTable({
      runs: [1, 1, 1, 2, 2],
      lumisections: [1, 2, 3, 1, 2],
      labels: [0, 0, 1, 0, 0],
      recordedLumi: [1, 1, 1, 1, 1],
      mes: [{ name: ME, binning: bins1d(3), flow: false, rows, entries: [100, 100, 50, 200, 200] }],
    });
    const references = runReferences(withLumi, { normalize: "l1" });
    const x = runRelative(withLumi, { normalize: "l1", references });
    expect(x.shape).toEqual([5, 7]);
    expect(x.blocks.map((b) => [b.me, b.offset, b.width])).toEqual([
      [`${ME} - run median`, 0, 3],
      [`${ME} run median - reference`, 3, 3],
      [`${ME} hit rate`, 6, 1],
    ]);
    expect(x.row(2)[6]).toBeCloseTo(Math.log(51 / 101), 4);
    expect(x.row(0)[6]).toBeCloseTo(0, 6);
    expect(x.row(3)[6]).toBeCloseTo(0, 6);
  });
});
