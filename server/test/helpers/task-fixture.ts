/**
 * A small labelled data set for task tests: 8 runs x 20 lumisections of one 1D monitor element,
 * DCS-on everywhere, golden except lumisections 15-20 of even runs (bad). Bad histograms get a
 * shifted shape, so a sensible score separates them.
 */
import { splitFlow, type HistogramRecord } from "../../src/histograms/record";
import { BINNING_1D } from "./records";
import type { Store } from "../../src/store/store";
import { createUser } from "../../src/store/users";

export const RUNS = [100, 101, 102, 103, 104, 105, 106, 107];
export const LS_PER_RUN = 20;

export function isBad(run: number, ls: number): boolean {
  return run % 2 === 0 && ls >= 15;
}

export function fixtureRecords(me = "charge"): HistogramRecord[] {
  const out: HistogramRecord[] = [];
  for (const run of RUNS)
    for (let ls = 1; ls <= LS_PER_RUN; ls++) {
      const full = isBad(run, ls) ? [0, 1, 2, 9, 20, 0] : [0, 10, 8, 3, 1, 0];
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

export async function loadFixture(
  store: Store,
  name = "ds",
): Promise<{ admin: string; alice: string; bob: string }> {
  const info = { name, era: "2018" };
  await store.ingestHistograms(
    info,
    { format: "csv", source: "fixture.csv", sha256: `fixture-${name}` },
    fixtureRecords(),
  );
  await store.ingestCertification(
    info,
    { kind: "dcs", name: "dcs", source: "dcs", sha256: "dcs" },
    new Map(RUNS.map((r) => [r, [[1, LS_PER_RUN]]])),
  );
  await store.ingestCertification(
    info,
    { kind: "golden", name: "golden", source: "golden", sha256: "golden" },
    new Map(
      RUNS.map((r): [number, Array<[number, number]>] => [r, r % 2 === 0 ? [[1, 14]] : [[1, LS_PER_RUN]]]),
    ),
  );
  return {
    admin: (await createUser(store.db, "admin", "admin")).token,
    alice: (await createUser(store.db, "alice", "participant")).token,
    bob: (await createUser(store.db, "bob", "participant")).token,
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
