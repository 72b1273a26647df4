/** Small statistics and unit helpers for the benchmark: pure functions, no I/O. */

/** Median of the values (mean of the two middle ones for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Items per second; NaN when no time passed. */
export function perSecond(count: number, seconds: number): number {
  return seconds > 0 ? count / seconds : NaN;
}

/** Decimal megabytes (10^6 bytes), the unit of every MB and MB/s figure the benchmark prints. */
export function megabytes(bytes: number): number {
  return bytes / 1e6;
}

/** Seconds elapsed since `start` (a `performance.now()` reading). */
export function secondsSince(start: number): number {
  return (performance.now() - start) / 1000;
}
