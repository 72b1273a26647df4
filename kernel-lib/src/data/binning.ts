/**
 * Histogram binning and the under/overflow (flow) layout, as the service stores them: 1D rows hold
 * `xbins` interior bins, or `xbins + 2` with the underflow bin first and the overflow bin last; 2D rows
 * are row-major `data[y * nx + x]`, with flow a one-bin border around the `ybins x xbins` interior.
 */
import type * as api from "@dqm-playground/api-types";

/** As the service sends it (1D: ymin 0, ymax 1, ybins 1). */
export type Binning = api.Binning;

/** Number of interior bins. */
export function interiorSize(b: Binning): number {
  return b.dim === 1 ? b.xbins : b.xbins * b.ybins;
}

/** Number of bins with under/overflow. */
export function fullSize(b: Binning): number {
  return b.dim === 1 ? b.xbins + 2 : (b.xbins + 2) * (b.ybins + 2);
}

/**
 * Copies the interior bins of one stored row (`src`, fullSize(b) values) into `dst` at `at`: one
 * contiguous copy for 1D, one per interior row for 2D.
 */
export function copyInterior(src: Float32Array, b: Binning, dst: Float32Array, at: number): void {
  if (b.dim === 1) {
    dst.set(src.subarray(1, b.xbins + 1), at);
    return;
  }
  const nx = b.xbins + 2;
  for (let y = 0; y < b.ybins; y++) {
    const start = (y + 1) * nx + 1;
    dst.set(src.subarray(start, start + b.xbins), at + y * b.xbins);
  }
}

/** Interior bins of several full rows, as one new matrix: rows x interiorSize(b). */
export function dropFlowBins(values: Float32Array, rows: number, b: Binning): Float32Array {
  const full = fullSize(b);
  const inner = interiorSize(b);
  if (values.length !== rows * full)
    throw new RangeError(
      `expected ${rows} rows of ${full} bins with under/overflow, got ${values.length} values`,
    );
  const out = new Float32Array(rows * inner);
  for (let r = 0; r < rows; r++) copyInterior(values.subarray(r * full, (r + 1) * full), b, out, r * inner);
  return out;
}

/** Bin centres along x of a 1D binning (interior bins). */
export function binCentres(b: Pick<Binning, "xmin" | "xmax" | "xbins">): Float64Array {
  const w = (b.xmax - b.xmin) / b.xbins;
  return Float64Array.from({ length: b.xbins }, (_, i) => b.xmin + (i + 0.5) * w);
}
