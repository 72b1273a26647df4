/**
 * Histogram binning and the under/overflow (flow) layout, as the service stores them: 1D rows hold
 * `xbins` interior bins, or `xbins + 2` with the underflow bin first and the overflow bin last; 2D rows
 * are row-major `data[y * nx + x]`, with flow a one-bin border around the `ybins x xbins` interior.
 */
import type { Binning } from "@dqm-playground/api-types";
// the wire helpers without the package root, which loads the TypeBox schemas (the service's)
import { copyInterior, fullSize, interiorSize } from "@dqm-playground/api-types/wire";

/** As the service sends it (1D: ymin 0, ymax 1, ybins 1). */
export type { Binning };

/** The wire contract's one copy of the binning arithmetic (api-types/src/wire/binning.ts). */
export { copyInterior, fullSize, interiorSize };

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
