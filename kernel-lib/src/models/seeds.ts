/**
 * Seeded pseudo-random numbers for reproducible training: weight initialisers get integer seeds
 * derived from one model seed, and row orders (shuffling, validation split) come from a seeded
 * permutation instead of Math.random.
 */

/** mulberry32: a small, fast 32-bit generator; returns numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Fisher-Yates permutation of 0..n-1 drawn from `random`. */
export function permutation(n: number, random: () => number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

/** The seed of layer `index`'s initialiser: distinct per layer, fixed by the model seed. */
export function layerSeed(modelSeed: number, index: number): number {
  return (Math.imul(modelSeed >>> 0, 2654435761) + index * 97 + 1) >>> 0;
}
