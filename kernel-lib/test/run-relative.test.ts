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
