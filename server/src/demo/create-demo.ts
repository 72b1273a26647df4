/**
 * Creates the demo data set in a store: simulated histograms (one atomic ingest), OMS-style metadata,
 * the real DCS-only and golden certification, the designated reference runs, then the demo tasks with
 * their baseline submissions. Every part is checked on its own and made when it is missing, so an
 * interrupted `demo` run again converges to the complete demo, whichever step the interruption hit.
 */
import crypto from "node:crypto";
import type { Store } from "../store/store";
import { generateDemo } from "./generate";
import { createTask } from "../tasks/create-task";
import { checkTaskSpec } from "../tasks/task-spec";
import {
  BASELINE_USER,
  RANDOM_METHOD,
  REFERENCE_RUN_METHOD,
  RUN_MEDIAN_METHOD,
  submitBaselines,
} from "../tasks/baselines";
import { recoverInterruptedSubmissions } from "../tasks/submissions";

import { DEMO_REFERENCE_RUNS, type DemoSize } from "./lumisections";

export { DEMO_SIZES, type DemoSize } from "./lumisections";
export const DEFAULT_DEMO_SEED = 2018;

/** The baselines every demo task has on its leaderboard (each submitted with its method as key). */
export const DEMO_BASELINE_METHODS: readonly string[] = [
  RANDOM_METHOD,
  RUN_MEDIAN_METHOD,
  REFERENCE_RUN_METHOD,
];

export function demoDatasetName(size: DemoSize): string {
  return size === "full" ? "demo-2018" : "demo-2018-small";
}

export interface DemoResult {
  dataset: string;
  /** Whether this call made anything (false: the demo was complete already). */
  created: boolean;
  /** What this call made, in order: "histograms", "metadata", "dcs", "golden", "reference runs", "task T", "baselines of T". */
  made: string[];
  lumisections: number;
  monitorElements: number;
}

export async function createDemo(
  store: Store,
  opts: { size: DemoSize; seed?: number },
  onProgress?: (done: number, total: number) => void,
): Promise<DemoResult> {
  const seed = opts.seed ?? DEFAULT_DEMO_SEED;
  const demo = generateDemo({ size: opts.size, seed });
  const name = demoDatasetName(opts.size);
  const info = { name, era: demo.era, primaryDataset: demo.primaryDataset, description: demo.description };
  const summary = { dataset: name, lumisections: demo.count, monitorElements: demo.monitorElements.length };
  const made: string[] = [];
  // A baseline a killed run left unscored is scored (or failed, then replaced below) before it is judged.
  await recoverInterruptedSubmissions(store);

  // The data set: each step is checked on its own. The generator is deterministic, so (size, seed,
  // generator version) identifies its output, and the histogram ingest is a no-op once done.
  const identity = (what: string) =>
    crypto.createHash("sha256").update(`demo:${demo.version}:${opts.size}:${seed}:${what}`).digest("hex");
  const total = demo.count * demo.monitorElements.length;
  const histograms = await store.ingestHistograms(
    info,
    { format: "demo", source: `demo ${opts.size} seed ${seed}`, sha256: identity("histograms") },
    demo.records(),
    (n) => onProgress?.(n, total),
  );
  if (!histograms.skipped) made.push("histograms");
  // The metadata is stored before the golden certification: with golden there, it is there (and
  // comparing every lumisection's metadata of the full year again would cost seconds on every run).
  if (!(await store.hasCertification(name, "golden")) || !histograms.skipped)
    if (await store.ingestMetadata(info, Array.from(demo.metadata()))) made.push("metadata");
  for (const [kind, source] of [
    ["dcs", "json_DCSONLY_2018.txt"],
    ["golden", "json_GOLDEN_2018.txt"],
  ] as const)
    if (!(await store.hasCertification(name, kind))) {
      await store.ingestCertification(
        info,
        { kind, name: kind, source, sha256: identity(kind) },
        kind === "dcs" ? demo.dcs : demo.golden,
      );
      made.push(kind);
    }

  // Designated before the tasks exist, so every split keeps them in train: a reference run's
  // certification is public by designation (store/run-roles.ts).
  if ((await store.referenceRuns(name)).length === 0) {
    await store.setReferenceRuns(
      name,
      DEMO_REFERENCE_RUNS.map((run) => ({ run, note: "demo: a good run, about one every week or two" })),
    );
    made.push("reference runs");
  }
  const referenceRuns = (await store.referenceRuns(name)).map((r) => r.run);
  for (const spec of demoTaskSpecs(opts.size, name)) {
    if (!(await store.tasks.find(spec.name))) {
      await createTask(store, checkTaskSpec(spec)); // atomic: the task with its split files, or nothing
      made.push(`task ${spec.name}`);
    }
    if (await missingBaselines(store, spec.name)) {
      // Idempotent per method (its idempotency key): only the missing ones are added.
      await submitBaselines(store, spec.name, { referenceRuns });
      made.push(`baselines of ${spec.name}`);
    }
  }
  return { ...summary, created: made.length > 0, made };
}

/**
 * Whether the task lacks a scored submission of one of the demo baselines. A baseline that failed
 * (its score file was lost in a crash) is removed, so that submitting it again makes a new one.
 */
async function missingBaselines(store: Store, taskName: string): Promise<boolean> {
  const user = await store.users.byName(BASELINE_USER);
  if (!user) return true;
  const task = await store.tasks.get(taskName);
  let missing = false;
  for (const method of DEMO_BASELINE_METHODS) {
    const id = await store.submissions.findByKey(task.id, user.id, method);
    if (id === null) missing = true;
    else if ((await store.submissions.get(id)).status !== "scored") {
      await store.submissions.removeFailed(id);
      missing = true;
    }
  }
  return missing;
}

const PIXEL_CHARGE = (layer: number) => `PixelPhase1/Tracks/PXBarrel/charge_PXLayer_${layer}`;
const STRIP_SN = (part: string) =>
  `SiStrip/MechanicalView/${part}/layer_1/Summary_ClusterStoNCorr__OnTrack__${part}__layer__1`;

const PIXEL_FEATURES = [
  PIXEL_CHARGE(1),
  PIXEL_CHARGE(2),
  PIXEL_CHARGE(3),
  PIXEL_CHARGE(4),
  "PixelPhase1/Tracks/PXBarrel/size_PXLayer_1",
];

const TRACKER_FEATURES = [
  ...PIXEL_FEATURES,
  STRIP_SN("TIB"),
  STRIP_SN("TOB"),
  "Tracking/TrackParameters/generalTracks/LSanalysis/Chi2oNDF_lumiFlag_GenTk",
];

/**
 * The demo's tasks: one pixel monitor element, several across the tracker, and (full year) the same
 * split in time. Their seeds, public_seed included, are fixed so the demo is the same everywhere: the
 * demo is public data (its labels come from the published golden JSON) and keeps no secret; a real
 * task leaves public_seed out and the server draws a secret one.
 */
export function demoTaskSpecs(
  size: DemoSize,
  dataset: string,
): Array<{ name: string } & Record<string, unknown>> {
  const suffix = size === "full" ? "-full" : "";
  return [
    {
      name: `pixel-2018-charge${suffix}`,
      title: "Pixel barrel cluster charge and size, 2018",
      description:
        "Flag bad lumisections from the pixel barrel alone: the on-track cluster charge of its four layers and the cluster size of layer 1. Train on the good lumisections (semi-supervised) or on all with labels; scores: higher = more anomalous.",
      dataset,
      // The whole pixel barrel, not one layer: a pixel failure shows in the layer it hits, and with
      // layer 1 alone most of the lumisections certification rejected for the pixels were invisible.
      features: PIXEL_FEATURES,
      split: { test_fraction: 0.5, public_fraction: 0.5, seed: 7, public_seed: 70 },
      daily_limit: 20,
    },
    {
      name: `tracker-2018-multi${suffix}`,
      title: "Tracker, several monitor elements, 2018",
      description:
        "Flag bad lumisections from pixel cluster charge (4 barrel layers) and size, strip signal-to-noise (TIB, TOB) and track fit quality together.",
      dataset,
      features: TRACKER_FEATURES,
      split: { test_fraction: 0.5, public_fraction: 0.5, seed: 11, public_seed: 110 },
      daily_limit: 20,
    },
    ...(size === "full"
      ? [
          {
            name: "tracker-2018-chronological-full",
            title: "Tracker, several monitor elements, 2018: train on the earlier runs, test on the later",
            description:
              "The monitor elements of tracker-2018-multi-full, split in time: train on the runs up to the autumn, test on the latest runs. The detector drifts (radiation damage, bias voltage steps), so a model must follow the drift rather than learn one season's shapes.",
            dataset,
            features: TRACKER_FEATURES,
            split: {
              strategy: "chronological",
              test_fraction: 0.3,
              public_fraction: 0.5,
              seed: 13,
              public_seed: 130,
            },
            daily_limit: 20,
          },
        ]
      : []),
  ];
}
