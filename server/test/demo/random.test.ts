import { hashSeed, Random } from "../../src/util/seeded-random";

function moments(draw: () => number, n: number): { mean: number; variance: number } {
  let sum = 0;
  let sum2 = 0;
  for (let i = 0; i < n; i++) {
    const x = draw();
    sum += x;
    sum2 += x * x;
  }
  const mean = sum / n;
  return { mean, variance: sum2 / n - mean * mean };
}

describe("demo random numbers", () => {
  it("repeats the same stream for the same seed and differs for another", () => {
    const a = new Random(2018, 315259, 1);
    const b = new Random(2018, 315259, 1);
    const c = new Random(2018, 315259, 2);
    const draws = (r: Random) => Array.from({ length: 8 }, () => r.uint32());
    const first = draws(a);
    expect(draws(b)).toEqual(first);
    expect(draws(c)).not.toEqual(first);
  });

  it("hashes every part of a seed, large numbers included", () => {
    expect(hashSeed(1, 2)).not.toBe(hashSeed(2, 1));
    expect(hashSeed(2 ** 32 + 5)).not.toBe(hashSeed(5));
    expect(hashSeed(7)).toBe(hashSeed(7));
  });

  it("draws uniforms in [0, 1) and integers in range", () => {
    const r = new Random(1);
    for (let i = 0; i < 10000; i++) {
      const u = r.uniform();
      expect(u >= 0 && u < 1).toBe(true);
      const k = r.int(7);
      expect(Number.isInteger(k) && k >= 0 && k < 7).toBe(true);
    }
    expect(moments(() => r.uniform(), 100000).mean).toBeCloseTo(0.5, 2);
  });

  it("draws standard normals", () => {
    const r = new Random(2);
    const m = moments(() => r.normal(), 200000);
    expect(Math.abs(m.mean)).toBeLessThan(0.01);
    expect(m.variance).toBeCloseTo(1, 1);
  });

  it.each([0.3, 4, 12, 250, 1e5])("draws Poisson counts with mean and variance %p", (lambda) => {
    const r = new Random(3, lambda);
    const n = 100000;
    const m = moments(() => r.poisson(lambda), n);
    const se = Math.sqrt(lambda / n);
    expect(Math.abs(m.mean - lambda)).toBeLessThan(5 * se);
    expect(m.variance / lambda).toBeGreaterThan(0.97);
    expect(m.variance / lambda).toBeLessThan(1.03);
  });

  it("gives zero Poisson counts for a zero or negative mean", () => {
    const r = new Random(4);
    expect(r.poisson(0)).toBe(0);
    expect(r.poisson(-1)).toBe(0);
  });

  it.each([0.5, 2, 9])("draws gamma variates with shape %p", (shape) => {
    const r = new Random(5, shape);
    const m = moments(() => r.gamma(shape, 2), 100000);
    expect(m.mean / (2 * shape)).toBeCloseTo(1, 1);
    expect(m.variance / (4 * shape)).toBeCloseTo(1, 1);
  });

  it("picks by weight", () => {
    const r = new Random(6);
    let a = 0;
    for (let i = 0; i < 10000; i++) if (r.weighted({ a: 3, b: 1, c: 0 }) === "a") a++;
    expect(a / 10000).toBeCloseTo(0.75, 1);
  });
});
