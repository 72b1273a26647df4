/**
 * Chi-square to the run's own median histogram: the local part of a shifter's comparison. Slow
 * drift (radiation damage, calibrations that change from run to run) moves a whole run together, so
 * each lumisection is compared with the bin-by-bin median of its own run's test lumisections, which
 * a few bad lumisections do not move. A run bad from start to end has a bad median, so an absolute
 * part is added: the distance of the run's median to the good lumisections of the latest train run
 * before it, which drift changes only a little from one run to the next. Each monitor element's
 * distances are divided by their typical size on good train lumisections, so that no element
 * outweighs the others by its statistics alone.
 */
import type { Table } from "apache-arrow";
import {
  chiSquare,
  goodTrainRunMeans,
  latestNotAfter,
  medianOf,
  row,
  sumOfScaledDistances,
  type UnitHistograms,
} from "./split-histograms";

export const RUN_MEDIAN_METHOD = "Chi-square to the run's median histogram (baseline)";
export const RUN_MEDIAN_DESCRIPTION =
  "Each lumisection's histograms are normalised to unit area. Per monitor element, the score adds the chi-square " +
  "distance of the lumisection to the bin-by-bin median of its own run (robust to the slow run-to-run drift of " +
  "the detector) and the distance of that run median to the mean good histogram of the latest train run before it " +
  "(so that a run bad from start to end still scores high), divided by the median of the same score over the good " +
  "train lumisections; summed over monitor elements.";

/** Per row: distance to its run's median plus the run median's distance to the latest earlier good train run. */
function runMedianDistances(
  h: UnitHistograms,
  byRun: Map<number, number[]>,
  references: Map<number, Float64Array>,
  skipSelf: boolean,
): Float64Array {
  const out = new Float64Array(h.rows);
  const all = [...references.keys()];
  for (const [run, rows] of byRun) {
    const candidates = skipSelf ? all.filter((r) => r !== run) : all;
    const m = medianOf(h, rows);
    const absolute =
      candidates.length > 0 ? chiSquare(m, references.get(latestNotAfter(candidates, run))!) : 0;
    for (const i of rows) out[i] = chiSquare(row(h, i), m) + absolute;
  }
  return out;
}

export function runMedianScores(train: Table, test: Table, features: readonly string[]): Float64Array {
  return sumOfScaledDistances(train, test, features, (v) => {
    const references = goodTrainRunMeans(train, v.train);
    if (references.size === 0) throw new Error("the train split has no good lumisection to compare with");
    // The typical score of a good lumisection, measured on train runs compared with the other train runs.
    const onTrain = runMedianDistances(v.train, v.trainByRun, references, true);
    return {
      goodTrain: onTrain.filter((_, i) => v.trainLabels[i] === 0),
      test: runMedianDistances(v.test, v.testByRun, references, false),
    };
  });
}
