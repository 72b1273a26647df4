/**
 * Simulated LHC conditions for the real 2018 runs: runs are grouped into fills, the luminosity of a
 * fill decays exponentially from its start, and pileup is proportional to the luminosity per bunch.
 * Units follow OMS (and the vendored omsdata file): luminosity per lumisection in fb^-1.
 */
import type { LumiRanges, LumisectionMetadata } from "../ingest/types";
import { Random } from "../util/seeded-random";

// Math's functions held in module constants: a global lookup per call is slow inside jest's vm sandbox.
const { abs, exp, max, min } = Math;

/** 2^18 LHC orbits. */
export const LUMISECTION_SECONDS = 23.31;
const REVOLUTION_HZ = 11245.5;
/** Inelastic pp cross-section OMS uses for pileup, cm^2 (80 mb). */
const INELASTIC_CM2 = 80e-27;
const FB_INVERSE_PER_CM2 = 1e-39;
/** Bunches per fill during the 2018 intensity ramp-up; 2556 afterwards. */
const RAMP_UP_BUNCHES = [2, 12, 12, 78, 78, 315, 315, 603, 987, 1227, 1551, 1866, 2174, 2460];
const FULL_BUNCHES = 2556;
const FIRST_FILL = 6570;

export interface RunBeamConditions {
  run: number;
  fill: number;
  bunches: number;
  /** Luminosity per bunch at the start of stable beams, cm^-2 s^-1. */
  peakBunchLumi: number;
  lifetimeSeconds: number;
  /** Seconds from the start of stable beams to the run's lumisection 1. */
  startSeconds: number;
  /** Fraction of the delivered luminosity CMS recorded (dead time). */
  liveFraction: number;
}

/**
 * Groups the year's runs (ascending) into fills. A fill ends when its drawn duration is spent or
 * when the run number jumps (runs without beam in between); both depend only on the seed.
 */
export function planFills(dcs: LumiRanges, seed: number): Map<number, RunBeamConditions> {
  const rng = new Random(seed, 0x66696c6c); // "fill"
  const plan = new Map<number, RunBeamConditions>();
  const runs = [...dcs.keys()].sort((a, b) => a - b);
  let fillIndex = -1;
  let fill = FIRST_FILL;
  let elapsed = 0;
  let duration = 0;
  let previous = -Infinity;
  let peakBunchLumi = 0;
  let lifetimeSeconds = 0;
  for (const run of runs) {
    const ranges = dcs.get(run) ?? [];
    const length = max(...ranges.map((r) => r[1])) * LUMISECTION_SECONDS;
    if (run - previous > 10 || elapsed + length / 2 > duration) {
      fillIndex++;
      fill += fillIndex === 0 ? 0 : 1 + rng.int(4);
      elapsed = rng.between(0, 600); // the first run starts a few minutes into stable beams
      duration = rng.between(6, 20) * 3600;
      peakBunchLumi = 8.2e30 * rng.between(0.75, 1.05);
      lifetimeSeconds = rng.between(11, 20) * 3600;
    }
    plan.set(run, {
      run,
      fill,
      bunches: fillIndex < RAMP_UP_BUNCHES.length ? RAMP_UP_BUNCHES[fillIndex] : FULL_BUNCHES,
      peakBunchLumi,
      lifetimeSeconds,
      startSeconds: elapsed,
      liveFraction: rng.between(0.93, 0.995),
    });
    elapsed += length + rng.between(120, 1200); // the next run starts after a short stop
    previous = run;
  }
  return plan;
}

/**
 * One lumisection's OMS-style metadata. Without stable beams the luminosity is noise around zero
 * (as OMS reports it) and the physics flag is off.
 */
export function lumisectionMetadata(
  rc: RunBeamConditions,
  lumisection: number,
  beamsStable: boolean,
  rng: Random,
): LumisectionMetadata {
  const base = { run: rc.run, lumisection, fill: rc.fill, cmsActive: true };
  if (!beamsStable) {
    const delivered = abs(rng.normal()) * 3e-9;
    return {
      ...base,
      deliveredLumi: delivered,
      recordedLumi: delivered * rc.liveFraction,
      pileup: 0,
      physicsFlag: false,
      beamsStable: false,
    };
  }
  const t = rc.startSeconds + (lumisection - 1) * LUMISECTION_SECONDS;
  const bunchLumi = rc.peakBunchLumi * exp(-t / rc.lifetimeSeconds) * (1 + 0.003 * rng.normal());
  const delivered = bunchLumi * rc.bunches * LUMISECTION_SECONDS * FB_INVERSE_PER_CM2;
  return {
    ...base,
    deliveredLumi: delivered,
    recordedLumi: delivered * min(1, rc.liveFraction + 0.004 * rng.normal()),
    pileup: (bunchLumi * INELASTIC_CM2) / REVOLUTION_HZ,
    physicsFlag: true,
    beamsStable: true,
  };
}
