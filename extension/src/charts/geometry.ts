/**
 * Where the charts put things: bin edges and the cells of the heatmaps, from histograms (pure
 * functions on typed arrays).
 */
import type { HistogramSet } from "../api/histogram-table";
import type { Binning } from "../api/types";
import { histogramRow } from "../models/histograms";

/** Lower edges of the x bins and the upper edge of the last: `xbins + 1` values. */
export function xEdges(binning: Binning): Float64Array {
  const edges = new Float64Array(binning.xbins + 1);
  const step = (binning.xmax - binning.xmin) / binning.xbins;
  for (let i = 0; i <= binning.xbins; i++) edges[i] = binning.xmin + i * step;
  return edges;
}

export function yEdges(binning: Binning): Float64Array {
  const edges = new Float64Array(binning.ybins + 1);
  const step = (binning.ymax - binning.ymin) / binning.ybins;
  for (let i = 0; i <= binning.ybins; i++) edges[i] = binning.ymin + i * step;
  return edges;
}

/** Cells of the lumisection-by-bin heatmap: each lumisection's histogram normalised to unit sum. */
export interface HeatmapCell {
  ls: number;
  bin: number;
  value: number;
}

/**
 * One cell per (lumisection, bin) with content, each row normalised to unit sum (zero cells are left
 * out: the chart's background shows them). 2D histograms use their flattened bin index `y * xbins + x`.
 */
export function heatmapCells(set: HistogramSet): HeatmapCell[] {
  const cells: HeatmapCell[] = [];
  for (let r = 0; r < set.lumisections.length; r++) {
    const row = histogramRow(set, r);
    let sum = 0;
    for (let i = 0; i < row.length; i++) sum += row[i];
    if (!(sum > 0)) continue;
    const ls = set.lumisections[r];
    for (let i = 0; i < row.length; i++) {
      if (row[i] !== 0) cells.push({ ls, bin: i, value: row[i] / sum });
    }
  }
  return cells;
}

/** A 2D histogram (`ybins * xbins`, row-major) as chart cells with bin edges. */
export interface Cell2D {
  x: number;
  x2: number;
  y: number;
  y2: number;
  value: number;
}

export function cells2d(binning: Binning, values: ArrayLike<number>): Cell2D[] {
  const xs = xEdges(binning);
  const ys = yEdges(binning);
  const cells: Cell2D[] = [];
  for (let y = 0; y < binning.ybins; y++)
    for (let x = 0; x < binning.xbins; x++)
      cells.push({ x: xs[x], x2: xs[x + 1], y: ys[y], y2: ys[y + 1], value: values[y * binning.xbins + x] });
  return cells;
}
