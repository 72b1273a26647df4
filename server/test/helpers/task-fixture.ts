/**
 * A small labelled data set for task tests: 8 runs x 20 lumisections of one 1D monitor element,
 * DCS-on everywhere, golden except lumisections 15-20 of even runs (bad). Bad histograms get a
 * shifted shape, so a sensible score separates them.
 */
import { splitFlow, type HistogramRecord } from "../../src/histograms/record";
import { BINNING_1D } from "./records";
import type { FastifyInstance } from "fastify";
import type { Store } from "../../src/store/store";
import { buildApp } from "../../src/api/app";
import { openTestStore, type TestEngine, type TestStore } from "./stores";

export const RUNS = [100, 101, 102, 103, 104, 105, 106, 107];
export const LS_PER_RUN = 20;

export function isBad(run: number, ls: number): boolean {
  return run % 2 === 0 && ls >= 15;
}

/** Which runs, how many lumisections each, and which are bad (the rest are golden). */
export interface FixtureLayout {
  runs: readonly number[];
  lsPerRun: number;
  isBad: (run: number, ls: number) => boolean;
}

export const FIXTURE_LAYOUT: FixtureLayout = { runs: RUNS, lsPerRun: LS_PER_RUN, isBad };

export function fixtureRecords(me = "charge", layout: FixtureLayout = FIXTURE_LAYOUT): HistogramRecord[] {
  const out: HistogramRecord[] = [];
  for (const run of layout.runs)
    for (let ls = 1; ls <= layout.lsPerRun; ls++) {
      const full = layout.isBad(run, ls) ? [0, 1, 2, 9, 20, 0] : [0, 10, 8, 3, 1, 0];
      const { data, flow } = splitFlow(full, BINNING_1D);
      out.push({
        run,
        lumisection: ls,
        me,
        kind: "TH1F",
        binning: BINNING_1D,
        entries: 22,
        data,
        flow,
        source: { file: "fixture", line: ls },
      });
    }
  return out;
}

/** The good lumisections of a run as golden-JSON ranges. */
function goldenRanges(run: number, layout: FixtureLayout): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (let ls = 1; ls <= layout.lsPerRun; ls++) {
    if (layout.isBad(run, ls)) continue;
    const last = ranges[ranges.length - 1];
    if (last && last[1] === ls - 1) last[1] = ls;
    else ranges.push([ls, ls]);
  }
  return ranges;
}

/** Ingests the fixture's histograms, DCS-on everywhere, and its golden certification as data set `name`. */
export async function ingestFixture(store: Store, name = "ds", layout: FixtureLayout = FIXTURE_LAYOUT) {
  const info = { name, era: "2018" };
  await store.ingestHistograms(
    info,
    { format: "csv", source: "fixture.csv", sha256: `fixture-${name}` },
    fixtureRecords("charge", layout),
  );
  await store.ingestCertification(
    info,
    { kind: "dcs", name: "dcs", source: "dcs", sha256: `dcs-${name}` },
    new Map(layout.runs.map((r): [number, Array<[number, number]>] => [r, [[1, layout.lsPerRun]]])),
  );
  await store.ingestCertification(
    info,
    { kind: "golden", name: "golden", source: "golden", sha256: `golden-${name}` },
    new Map(layout.runs.map((r) => [r, goldenRanges(r, layout)])),
  );
}

/** The fixture as data set `name`, with an admin and two participants (their tokens). */
export async function loadFixture(
  store: Store,
  name = "ds",
): Promise<{ admin: string; alice: string; bob: string }> {
  await ingestFixture(store, name);
  return {
    admin: (await store.users.create("admin", "admin")).token,
    alice: (await store.users.create("alice", "participant")).token,
    bob: (await store.users.create("bob", "participant")).token,
  };
}

export const TASK_SPEC = {
  name: "charge-task",
  title: "Charge",
  description: "test task",
  dataset: "ds",
  features: ["charge"],
  split: { test_fraction: 0.5, public_fraction: 0.5, seed: 3 },
  daily_limit: 3,
};

/** What `fixtureApp` sets up: the store with the fixture, its users' tokens and the app over it. */
export interface FixtureApp {
  store: TestStore;
  app: FastifyInstance;
  tokens: { admin: string; alice: string; bob: string };
}

/**
 * For the enclosing describe block: a store on `engine` with the fixture and its users, and the REST
 * app over it, opened before its tests (this hook runs before the block's own beforeAll) and closed
 * after them. The fields are set once the hook has run.
 */
export function fixtureApp(engine: TestEngine): FixtureApp {
  const f = {} as FixtureApp;
  let close: () => Promise<void> = async () => undefined;
  beforeAll(async () => {
    const opened = await openTestStore(engine);
    close = opened.close;
    f.store = opened.store;
    f.tokens = await loadFixture(f.store);
    f.app = await buildApp({ store: f.store });
  });
  afterAll(async () => {
    await f.app?.close();
    await close();
  });
  return f;
}
