/**
 * Cumulative distributions the simulated monitor elements are built from, and the step that turns a
 * CDF into bin probabilities. Working with CDFs gives exact bin integrals and exact under/overflow
 * masses at the cost of one evaluation per bin edge, whatever the binning.
 */
import type { Binning } from "../histograms/record";

// Math's functions held in module constants: a global lookup per call is slow inside jest's vm sandbox.
const { SQRT1_2, abs, exp, log, max, sqrt } = Math;

/** Chebyshev coefficients of Numerical Recipes' erfc fit, constant term first. */
const ERFC_FIT = Float64Array.of(
  -1.26551223,
  1.00002368,
  0.37409196,
  0.09678418,
  -0.18628806,
  0.27886807,
  -1.13520398,
  1.48851587,
  -0.82215223,
  0.17087277,
);

/** Complementary error function (relative error below 1.2e-7). */
export function erfc(x: number): number {
  const z = abs(x);
  if (z > 9) return x > 0 ? 0 : 2; // below 1e-36: not worth the polynomial
  const t = 1 / (1 + 0.5 * z);
  let poly = ERFC_FIT[9];
  for (let i = 8; i >= 0; i--) poly = ERFC_FIT[i] + t * poly;
  const r = t * exp(-z * z + poly);
  return x >= 0 ? r : 2 - r;
}

/** Standard normal CDF. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z * SQRT1_2);
}

/**
 * Moyal distribution, the closed-form stand-in for a Landau: energy loss in a thin silicon layer
 * (pixel cluster charge, strip signal-to-noise) has this sharp peak and long right tail.
 */
export function moyalCdf(x: number, mpv: number, width: number): number {
  const lambda = (x - mpv) / width;
  if (lambda < -10) return 0; // exp(-lambda/2) would overflow erfc's argument to 0 anyway
  return erfc(exp(-lambda / 2) * SQRT1_2);
}

export function lognormalCdf(x: number, median: number, sigma: number): number {
  if (x <= 0) return 0;
  return normalCdf(log(x / median) / sigma);
}

/** Lognormal with the given mean and standard deviation (for multiplicities). */
export function lognormalCdfByMoments(x: number, mean: number, sd: number): number {
  const s2 = log(1 + (sd * sd) / (mean * mean));
  return lognormalCdf(x, mean * exp(-s2 / 2), sqrt(s2));
}

/** Lomax (Pareto II) tail starting at `from`: the 1/x^alpha tail of Landau-like losses. */
export function powerTailCdf(x: number, from: number, scale: number, alpha: 2 | 2.5 | 3): number {
  if (x <= from) return 0;
  const u = 1 + (x - from) / scale;
  // pow was the generator's hottest call: the exponents used have cheap exact forms.
  const u2 = u * u;
  return 1 - 1 / (alpha === 2 ? u2 : alpha === 3 ? u2 * u : u2 * sqrt(u));
}

/**
 * Fills `out` (the legacy full layout of a 1D binning: underflow, xbins interior bins, overflow) with
 * the probability mass of each bin under `cdf`.
 */
export function binnedFromCdf(b: Binning, cdf: (x: number) => number, out: Float64Array): void {
  const width = (b.xmax - b.xmin) / b.xbins;
  let previous = cdf(b.xmin);
  out[0] = previous;
  for (let i = 1; i <= b.xbins; i++) {
    const next = i === b.xbins ? cdf(b.xmax) : cdf(b.xmin + i * width);
    out[i] = max(0, next - previous);
    previous = next;
  }
  out[b.xbins + 1] = max(0, 1 - previous);
}
