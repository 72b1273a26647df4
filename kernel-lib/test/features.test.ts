import { features, FeatureMatrix, labels, meColumn } from "../src/index";
import { bins1d, histogramTable, roundTrip, splitTable, type Binning } from "./helpers/tables";

const ME = "Pixel/charge";
const ME2 = "Strip/ston";

// Six lumisections, 1D with flow: [underflow, b1, b2, b3, overflow].
const flowRows = [
  [9, 1, 2, 3, 7],
  [9, 4, 0, 4, 7],
  [0, 0, 0, 0, 0],
  [1, 10, 20, 30, 1],
  [2, 5, 5, 0, 2],
  [3, 1, 1, 2, 3],
];
const runs = [1, 1, 1, 2, 2, 3];
const lss = [1, 2, 3, 1, 2, 1];

describe("features", () => {
  test("one monitor element, one record batch, no flow to drop: a view on the IPC buffer (zero copy)", () => {
    const rows = flowRows.map((r) => r.slice(1, 4));
    const { table, bytes } = roundTrip(
      splitTable({ runs, lumisections: lss, mes: [{ name: ME, binning: bins1d(3), flow: false, rows }] }),
    );
    const x = features(table, { drop: "underflow-overflow" }); // nothing stored to drop
    expect(x.isView).toBe(true);
    expect(x.values.buffer).toBe(bytes.buffer);
    expect(x.shape).toEqual([6, 3]);
    expect(Array.from(x.row(3))).toEqual([10, 20, 30]);
    expect(Array.from(x.index.runs)).toEqual(runs);
    expect(x.index.tableRows).toBeNull();
  });

  test("several record batches are copied once into one matrix", () => {
    const rows = flowRows.map((r) => r.slice(1, 4));
    const { table, bytes } = roundTrip(
      splitTable({
        runs,
        lumisections: lss,
        mes: [{ name: ME, binning: bins1d(3), flow: false, rows }],
        batchRows: 4,
      }),
    );
    expect(table.batches.length).toBe(2);
    const x = features(table);
    expect(x.isView).toBe(false);
    expect(x.values.buffer).not.toBe(bytes.buffer);
    expect(Array.from(x.values)).toEqual(rows.flat());
    expect(Array.from(x.index.lumisections)).toEqual(lss);
  });

  test("drops 1D under/overflow bins when the split stores them, across batches", () => {
    const table = splitTable({
      runs,
      lumisections: lss,
      mes: [{ name: ME, binning: bins1d(3), flow: true, rows: flowRows }],
      batchRows: 4,
    });
    const kept = features(table);
    expect(kept.shape).toEqual([6, 5]);
    expect(kept.blocks[0].flow).toBe(true);
    const x = features(table, { drop: "underflow-overflow" });
    expect(x.shape).toEqual([6, 3]);
    expect(x.blocks[0]).toMatchObject({ me: ME, offset: 0, width: 3, flow: false });
    expect(Array.from(x.values)).toEqual(flowRows.flatMap((r) => r.slice(1, 4)));
  });

  test("drops the 2D border of a histogram response with include_flow (row-major y, x)", () => {
    const b: Binning = { dim: 2, xmin: 0, xmax: 2, xbins: 2, ymin: 0, ymax: 3, ybins: 3 };
    // (3 + 2) rows of (2 + 2) columns; interior = rows 1..3, columns 1..2.
    const full = (k: number) => Array.from({ length: 20 }, (_, i) => k * 100 + i);
    const table = histogramTable({
      me: ME,
      binning: b,
      includeFlow: true,
      runs: [5, 5],
      lumisections: [1, 2],
      rows: [full(0), full(1)],
    });
    const col = meColumn(table);
    expect(col.binning).toEqual(b);
    expect(col.flowStored).toBe(true);
    const x = features(table, { drop: "underflow-overflow" });
    expect(x.shape).toEqual([2, 6]);
    expect(Array.from(x.row(0))).toEqual([5, 6, 9, 10, 13, 14]);
    expect(Array.from(x.row(1))).toEqual([105, 106, 109, 110, 113, 114]);
  });

  test("a histogram response without flow: binning from the metadata, zero copy", () => {
    const { table, bytes } = roundTrip(
      histogramTable({
        me: ME,
        binning: bins1d(3),
        includeFlow: false,
        runs: [1, 1],
        lumisections: [1, 2],
        rows: [
          [1, 2, 3],
          [4, 5, 6],
        ],
      }),
    );
    const x = features(table, { me: ME });
    expect(x.values.buffer).toBe(bytes.buffer);
    expect(x.blocks[0].binning).toEqual(bins1d(3));
    expect(() => features(table, { me: "other" })).toThrow(
      "this histogram table holds 'Pixel/charge', not 'other'",
    );
  });

  test("several monitor elements side by side, each normalised on its own (L1 and max)", () => {
    const a = [
      [1, 3],
      [0, 0],
      [2, 2],
    ];
    const b = [
      [4, 0, 4],
      [1, 1, 2],
      [5, 10, 5],
    ];
    const table = splitTable({
      runs: [1, 1, 2],
      lumisections: [1, 2, 1],
      mes: [
        { name: ME, binning: bins1d(2), flow: false, rows: a },
        { name: ME2, binning: bins1d(3), flow: false, rows: b },
      ],
      batchRows: 2,
    });
    const x = features(table, { me: [ME2, ME], normalize: "l1" });
    expect(x.blocks.map((k) => [k.me, k.offset, k.width])).toEqual([
      [ME2, 0, 3],
      [ME, 3, 2],
    ]);
    expect(Array.from(x.row(0))).toEqual([0.5, 0, 0.5, 0.25, 0.75]);
    expect(Array.from(x.row(1))).toEqual([0.25, 0.25, 0.5, 0, 0]); // an empty histogram stays zero
    const m = features(table, { normalize: "max" });
    expect(Array.from(m.row(2))).toEqual([1, 1, 0.5, 1, 0.5]);
    expect(Array.from(m.histogram(2, ME2))).toEqual([0.5, 1, 0.5]);
    // normalising never touches the Arrow buffer
    expect(Array.from(features(table, { me: ME }).row(0))).toEqual([1, 3]);
  });

  test("good lumisections of the train split, with a minimum-entries filter", () => {
    const table = splitTable({
      runs,
      lumisections: lss,
      mes: [{ name: ME, binning: bins1d(3), flow: true, rows: flowRows, entries: [30, 30, 0, 62, 14, 10] }],
      labels: [0, 1, 0, 0, 1, 0],
      batchRows: 4,
    });
    expect(Array.from(labels(table))).toEqual([0, 1, 0, 0, 1, 0]);
    expect(Array.from(labels(table, [4, 0]))).toEqual([1, 0]);
    expect(() => labels(table, [6])).toThrow("row 6 is outside 0..5");
    const good = features(table, { select: "good", minEntries: 10, drop: "underflow-overflow" });
    expect(Array.from(good.index.tableRows!)).toEqual([0, 3, 5]);
    expect(Array.from(good.index.runs)).toEqual([1, 2, 3]);
    expect(Array.from(good.values)).toEqual([1, 2, 3, 10, 20, 30, 1, 1, 2]);
    const bad = features(table, { select: "bad" });
    expect(Array.from(bad.index.lumisections)).toEqual([2, 2]);
    expect(features(table, { rows: [5, 0] }).row(0)[1]).toBe(1);
  });

  test("errors name the problem", () => {
    const table = splitTable({
      runs: [1],
      lumisections: [1],
      mes: [{ name: ME, binning: bins1d(3), flow: false, rows: [[1, 2, 3]] }],
    });
    expect(() => features(table, { me: "nope" })).toThrow(
      `no monitor element 'nope' in this table; it has: ${ME}`,
    );
    expect(() => features(table, { select: "good" })).toThrow(
      'select: "good" needs labels (the train split)',
    );
    expect(() => labels(table)).toThrow(
      "this table has no label column (it is the test split): labels come only with the train split",
    );
    expect(() => features(table, { normalize: "l2" as "l1" })).toThrow(`unknown normalization 'l2'`);
    expect(() => features(table, { drop: "all" as "none" })).toThrow(`unknown drop 'all'`);
  });

  test("FeatureMatrix helpers", () => {
    const m = new FeatureMatrix(
      Float32Array.from([1, 2, 3, 4]),
      2,
      2,
      [{ me: ME, offset: 0, width: 2, binning: bins1d(2), flow: false }],
      {
        runs: Int32Array.from([7, 8]),
        lumisections: Int32Array.from([1, 1]),
        tableRows: null,
      },
    );
    expect(m.find(8, 1)).toBe(1);
    expect(m.find(9, 1)).toBe(-1);
    const s = m.select([1]);
    expect(Array.from(s.values)).toEqual([3, 4]);
    expect(Array.from(s.index.tableRows!)).toEqual([1]);
    expect(String(m)).toBe(`FeatureMatrix 2 x 2: ${ME} [2]`);
    expect(() => new FeatureMatrix(new Float32Array(3), 2, 2, [], m.index)).toThrow(
      "a 2 x 2 matrix needs 4 values, got 3",
    );
  });
});
