/**
 * Seeded pseudo-random numbers, shared by the demo generator, the frozen task splits and the random
 * baseline: the same seed must give the same numbers forever (published splits are recomputed from their
 * seeds). Hand-written rather than taken from a package: the full year draws about 10^9 numbers, so the stream must be fast (32-bit integer
 * arithmetic only), bit-for-bit reproducible on every platform, and free of dependencies.
 * The generator is sfc32 (Chris Doty-Humphrey's small fast counting RNG), seeded through a
 * splitmix-style hash so that (seed, run, lumisection, monitor element) each get their own stream.
 */

// Math's functions held in module constants: a global lookup per call is slow inside jest's vm sandbox.
const { PI, abs, cos, exp, floor, imul, log, pow, sin, sqrt } = Math;

/** Mixes integers into one 32-bit seed (murmur3 finaliser per part): nearby inputs give unrelated streams. */
export function hashSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    // Split each part into 32-bit halves so that run numbers and large seeds both mix fully.
    const lo = part >>> 0;
    const hi = floor(part / 0x100000000) >>> 0;
    for (const v of [lo, hi]) {
      h = imul(h ^ v, 0x85ebca6b);
      h ^= h >>> 13;
      h = imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
    }
  }
  return h >>> 0;
}

const TWO_32 = 4294967296;

/** log(k!) for small k, exactly; Stirling's series above. */
const LOG_FACTORIAL_TABLE: Float64Array = (() => {
  const t = new Float64Array(64);
  for (let k = 1; k < 64; k++) t[k] = t[k - 1] + log(k);
  return t;
})();

function logFactorial(k: number): number {
  if (k < 64) return LOG_FACTORIAL_TABLE[k];
  const inv = 1 / (k + 1);
  const x = k + 1;
  return (x - 0.5) * log(x) - x + 0.9189385332046728 + inv / 12 - (inv * inv * inv) / 360;
}

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** Box-Muller gives normals in pairs; the second waits here. */
  private spare = 0;
  private hasSpare = false;

  constructor(...seedParts: number[]) {
    const s = hashSeed(...seedParts);
    this.a = s;
    this.b = hashSeed(s, 1);
    this.c = hashSeed(s, 2);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.uint32(); // let the state decorrelate from the seed
  }

  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return this.uint32() / TWO_32;
  }

  /** Uniform in [lo, hi). */
  between(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return floor(this.uniform() * n);
  }

  chance(p: number): boolean {
    return this.uniform() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** Picks a key with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const keys = Object.keys(weights) as K[];
    let total = 0;
    for (const k of keys) total += weights[k];
    let u = this.uniform() * total;
    for (const k of keys) {
      u -= weights[k];
      if (u < 0) return k;
    }
    return keys[keys.length - 1];
  }

  /** Standard normal (Box-Muller; one log, one sqrt and one sin/cos per pair). */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    const u = 1 - this.uniform(); // (0, 1]: log stays finite
    const v = this.uniform();
    const r = sqrt(-2 * log(u));
    this.spare = r * sin(2 * PI * v);
    this.hasSpare = true;
    return r * cos(2 * PI * v);
  }

  /**
   * Poisson-distributed integer. Exact at every mean: inversion below 10, Hörmann's transformed
   * rejection (PTRS) above, which needs about 2.3 uniforms whatever the mean (bins hold up to 10^6).
   */
  poisson(mean: number): number {
    if (!(mean > 0)) return 0;
    if (mean < 10) {
      let p = exp(-mean);
      let cdf = p;
      const u = this.uniform();
      let k = 0;
      while (u > cdf && k < 200) {
        k++;
        p *= mean / k;
        cdf += p;
      }
      return k;
    }
    const slam = sqrt(mean);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const u = this.uniform() - 0.5;
      const v = this.uniform();
      const us = 0.5 - abs(u);
      const k = floor(((2 * a) / us + b) * u + mean + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      const lhs = log(v) + log(invAlpha) - log(a / (us * us) + b);
      if (lhs <= -mean + k * log(mean) - logFactorial(k)) return k;
    }
  }

  /** Gamma(shape, scale) by Marsaglia and Tsang; shape < 1 through the boost u^(1/shape). */
  gamma(shape: number, scale = 1): number {
    if (shape < 1) return this.gamma(shape + 1, scale) * pow(1 - this.uniform(), 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = 1 - this.uniform();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v * scale;
      if (log(u) < 0.5 * x * x + d * (1 - v + log(v))) return d * v * scale;
    }
  }
}
