/**
 * Histogram binning and the under/overflow ("flow") layout, as the service stores and sends them.
 * 1D: `xbins` interior bins, or `xbins + 2` with the underflow bin first and the overflow bin last.
 * 2D: row-major `data[y * nx + x]`; the flow bins are a one-bin border around the `ybins x xbins`
 * interior, so a full 2D histogram is `(ybins + 2) x (xbins + 2)`.
 */
import type { Binning, HistogramRow } from "../schemas";

/** Number of interior bins. */
export function interiorSize(b: Binning): number {
  return b.dim === 1 ? b.xbins : b.xbins * b.ybins;
}

/** Number of bins including under/overflow, as in the legacy `histo` column. */
export function fullSize(b: Binning): number {
  return b.dim === 1 ? b.xbins + 2 : (b.xbins + 2) * (b.ybins + 2);
}

/** Number of border (under/overflow) bins. */
export function flowSize(b: Binning): number {
  return fullSize(b) - interiorSize(b);
}

/**
 * Splits a full histogram (with under/overflow; 2D row-major over (ybins+2) x (xbins+2)) into
 * interior and border bins. Border bins keep their row-major order.
 */
export function splitFlow(full: ArrayLike<number>, b: Binning): { data: Float32Array; flow: Float32Array } {
  const data = new Float32Array(interiorSize(b));
  const flow = new Float32Array(flowSize(b));
  if (b.dim === 1) {
    flow[0] = full[0];
    for (let i = 0; i < b.xbins; i++) data[i] = full[i + 1];
    flow[1] = full[b.xbins + 1];
    return { data, flow };
  }
  const width = b.xbins + 2;
  let d = 0;
  let f = 0;
  for (let y = 0; y < b.ybins + 2; y++) {
    for (let x = 0; x < width; x++) {
      const v = full[y * width + x];
      if (y === 0 || y === b.ybins + 1 || x === 0 || x === b.xbins + 1) flow[f++] = v;
      else data[d++] = v;
    }
  }
  return { data, flow };
}

/** Inverse of `splitFlow`: writes the full histogram into `out` (length `fullSize(b)`). */
export function joinFlow(
  data: ArrayLike<number>,
  flow: ArrayLike<number>,
  b: Binning,
  out: Float32Array,
): Float32Array {
  if (b.dim === 1) {
    out[0] = flow[0];
    for (let i = 0; i < b.xbins; i++) out[i + 1] = data[i];
    out[b.xbins + 1] = flow[1];
    return out;
  }
  const width = b.xbins + 2;
  let d = 0;
  let f = 0;
  for (let y = 0; y < b.ybins + 2; y++) {
    for (let x = 0; x < width; x++) {
      const border = y === 0 || y === b.ybins + 1 || x === 0 || x === b.xbins + 1;
      out[y * width + x] = border ? flow[f++] : data[d++];
    }
  }
  return out;
}

/**
 * Copies the interior bins of one full row (`src`, `fullSize(b)` values) into `dst` at `at`: one
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

export function sameBinning(a: Binning, b: Binning): boolean {
  return (
    a.dim === b.dim &&
    a.xbins === b.xbins &&
    a.ybins === b.ybins &&
    a.xmin === b.xmin &&
    a.xmax === b.xmax &&
    a.ymin === b.ymin &&
    a.ymax === b.ymax
  );
}

/** E.g. `1D 100 bins [0, 10]`, `2D 20x10 bins [0, 1]x[-1, 1]`. */
export function describeBinning(b: Binning): string {
  return b.dim === 1
    ? `1D ${b.xbins} bins [${b.xmin}, ${b.xmax}]`
    : `2D ${b.xbins}x${b.ybins} bins [${b.xmin}, ${b.xmax}]x[${b.ymin}, ${b.ymax}]`;
}

/**
 * The binning of a full histogram seen as plain bins, as histogram responses with `include_flow=true`
 * describe it: one more bin of the same width on each side of each axis.
 */
export function binningWithFlow(b: Binning): Binning {
  const dx = (b.xmax - b.xmin) / b.xbins;
  const dy = (b.ymax - b.ymin) / b.ybins;
  return b.dim === 1
    ? { ...b, xmin: b.xmin - dx, xmax: b.xmax + dx, xbins: b.xbins + 2 }
    : {
        ...b,
        xmin: b.xmin - dx,
        xmax: b.xmax + dx,
        xbins: b.xbins + 2,
        ymin: b.ymin - dy,
        ymax: b.ymax + dy,
        ybins: b.ybins + 2,
      };
}

/** Inverse of `binningWithFlow`: the interior binning of a binning that counts the flow bins. */
export function binningWithoutFlow(b: Binning): Binning {
  const dx = (b.xmax - b.xmin) / b.xbins;
  const dy = (b.ymax - b.ymin) / b.ybins;
  const x = { xmin: b.xmin + dx, xmax: b.xmax - dx, xbins: b.xbins - 2 };
  return b.dim === 1
    ? { ...b, ...x }
    : { ...b, ...x, ymin: b.ymin + dy, ymax: b.ymax - dy, ybins: b.ybins - 2 };
}

/** The binning a JSON histogram row states (`x_min`, ..., `y_bin`; 2D when it has `y_bin`). */
export function rowBinning(
  row: Pick<HistogramRow, "x_min" | "x_max" | "x_bin" | "y_min" | "y_max" | "y_bin">,
): Binning {
  return {
    dim: row.y_bin !== undefined ? 2 : 1,
    xmin: row.x_min,
    xmax: row.x_max,
    xbins: row.x_bin,
    ymin: row.y_min ?? 0,
    ymax: row.y_max ?? 1,
    ybins: row.y_bin ?? 1,
  };
}
