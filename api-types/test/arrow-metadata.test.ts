import {
  ARROW_STREAM,
  HISTOGRAM_METADATA,
  SPLIT_METADATA,
  decodeHistogramMetadata,
  decodeSplitMetadata,
  encodeHistogramMetadata,
  encodeSplitMetadata,
  isHistogramMetadata,
} from "../src/wire";
import type { Binning } from "../src";

const b1: Binning = { dim: 1, xmin: 0, xmax: 10, xbins: 5, ymin: 0, ymax: 1, ybins: 1 };
const b2: Binning = { dim: 2, xmin: 0, xmax: 3, xbins: 3, ymin: -1, ymax: 1, ybins: 2 };

test("the constants are the wire's", () => {
  expect(ARROW_STREAM).toBe("application/vnd.apache.arrow.stream");
  expect(Object.values(SPLIT_METADATA)).toEqual([
    "task",
    "split",
    "dataset",
    "include_flow",
    "label",
    "binning",
  ]);
  expect(HISTOGRAM_METADATA.xbins).toBe("x_bin");
});

describe("split metadata", () => {
  test("encodes in the service's key order (the split's sha256 depends on it)", () => {
    const train = encodeSplitMetadata({
      task: "t",
      split: "train",
      dataset: "d",
      includeFlow: false,
      binning: { a: b1, b: b2 },
    });
    expect([...train.entries()]).toEqual([
      ["task", "t"],
      ["split", "train"],
      ["dataset", "d"],
      ["include_flow", "false"],
      ["label", "label: 1 = bad (not in golden JSON, DCS on), 0 = good (golden)"],
      ["binning", JSON.stringify({ a: b1, b: b2 })],
    ]);
    const test = encodeSplitMetadata({
      task: "t",
      split: "test",
      dataset: "d",
      includeFlow: true,
      binning: {},
    });
    expect(test.get("label")).toBe("withheld");
    expect(test.get("include_flow")).toBe("true");
  });

  test("decodes what it encodes, and tolerates tables without metadata", () => {
    const meta = encodeSplitMetadata({
      task: "t",
      split: "test",
      dataset: "d",
      includeFlow: true,
      binning: { a: b2 },
    });
    expect(decodeSplitMetadata(meta)).toEqual({
      task: "t",
      split: "test",
      dataset: "d",
      includeFlow: true,
      label: "withheld",
      binning: { a: b2 },
    });
    expect(decodeSplitMetadata(new Map())).toEqual({
      task: null,
      split: null,
      dataset: null,
      includeFlow: false,
      label: null,
      binning: null,
    });
  });
});

describe("histogram metadata", () => {
  test("encodes the interior binning without flow, in the service's key order", () => {
    const meta = encodeHistogramMetadata({
      dataset: "d",
      me: "m",
      kind: null,
      binning: b2,
      includeFlow: false,
    });
    expect([...meta.entries()]).toEqual([
      ["dataset", "d"],
      ["me", "m"],
      ["kind", ""],
      ["dim", "2"],
      ["x_min", "0"],
      ["x_max", "3"],
      ["x_bin", "3"],
      ["y_min", "-1"],
      ["y_max", "1"],
      ["y_bin", "2"],
      ["include_flow", "false"],
    ]);
    expect(isHistogramMetadata(meta)).toBe(true);
    expect(
      isHistogramMetadata(
        encodeSplitMetadata({ task: "t", split: "test", dataset: "d", includeFlow: false, binning: {} }),
      ),
    ).toBe(false);
  });

  test("with flow, states the binning of the full histogram; decoding gives the interior back", () => {
    const meta = encodeHistogramMetadata({
      dataset: "d",
      me: "m",
      kind: "TH1F",
      binning: b1,
      includeFlow: true,
    });
    expect(meta.get("x_bin")).toBe("7");
    expect(meta.get("x_min")).toBe("-2");
    const decoded = decodeHistogramMetadata(meta);
    expect(decoded).toEqual({
      dataset: "d",
      me: "m",
      kind: "TH1F",
      includeFlow: true,
      binning: b1,
      dataBinning: { ...b1, xmin: -2, xmax: 12, xbins: 7 },
    });
    expect(
      decodeHistogramMetadata(
        encodeHistogramMetadata({ dataset: "d", me: "m", kind: null, binning: b2, includeFlow: true }),
      ).binning,
    ).toEqual(b2);
  });

  test("missing binning keys are 1D [0, 1] of one bin", () => {
    expect(
      decodeHistogramMetadata(
        new Map([
          ["x_bin", "4"],
          ["dim", ""],
        ]),
      ),
    ).toMatchObject({
      me: null,
      kind: null,
      includeFlow: false,
      binning: { dim: 1, xmin: 0, xmax: 1, xbins: 4, ymin: 0, ymax: 1, ybins: 1 },
    });
  });
});
