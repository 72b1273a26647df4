/** Vega-Lite v5 specs as plain JSON objects, and a displayable chart wrapping one. */
import { DisplayableObject, VEGA_LITE_MIME } from "../display/show";
import type { MimeBundle } from "../display/sink";

export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** A Vega-Lite v5 spec. */
export interface VegaLiteSpec {
  $schema: string;
  [key: string]: Json;
}

export type Row = Record<string, string | number | null>;

/** A spec with the schema, a title and sensible sizes. */
export function spec(
  title: string,
  body: Record<string, Json>,
  size: { width?: number; height?: number } = {},
): VegaLiteSpec {
  return {
    $schema: VEGA_LITE_SCHEMA,
    title,
    width: size.width ?? 420,
    height: size.height ?? 260,
    ...body,
  };
}

/** Finite numbers only (JSON has no NaN or Infinity). */
export function num(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/**
 * At most about `max` points of a polyline, keeping the first and last and every point that moves
 * at least 2/max (Manhattan distance in unit coordinates; at most max points for monotone curves) from the last kept one: charts stay small, shapes stay.
 */
export function thin(xs: ArrayLike<number>, ys: ArrayLike<number>, max = 2000): number[] {
  const keep: number[] = [];
  const n = xs.length;
  if (n === 0) return keep;
  const span = (a: ArrayLike<number>) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < a.length; i++)
      if (Number.isFinite(a[i])) {
        lo = Math.min(lo, a[i]);
        hi = Math.max(hi, a[i]);
      }
    return hi > lo ? hi - lo : 1;
  };
  const sx = span(xs);
  const sy = span(ys);
  let last = 0;
  keep.push(0);
  for (let i = 1; i < n - 1; i++) {
    if (Math.abs(xs[i] - xs[last]) / sx + Math.abs(ys[i] - ys[last]) / sy >= 2 / max) {
      keep.push(i);
      last = i;
    }
  }
  if (n > 1) keep.push(n - 1);
  return keep;
}

/** A chart: shows itself as Vega-Lite in a notebook, as its title elsewhere. */
export class Chart extends DisplayableObject {
  constructor(readonly spec: VegaLiteSpec) {
    super();
  }

  toMimeBundle(): MimeBundle {
    const title = typeof this.spec.title === "string" ? this.spec.title : "chart";
    return { [VEGA_LITE_MIME]: this.spec, "text/plain": `[Vega-Lite chart: ${title}]` };
  }
}
