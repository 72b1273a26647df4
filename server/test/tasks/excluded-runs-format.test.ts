import { formatExcludedRuns } from "../../src/cli/commands/tasks";

describe("task create's report of the runs left out", () => {
  it("prints one line per run with its reason, and nothing when no run was left out", () => {
    expect(formatExcludedRuns([])).toBe("");
    expect(
      formatExcludedRuns([
        {
          run: 316361,
          reason:
            "in the test split of open task pixel-2018-charge (public part), but before run 317000 where this task's test period starts",
        },
        {
          run: 317100,
          reason:
            "its labels are published by the train split of task pixel-2018-charge, but it is in this task's test period (from run 317000)",
        },
      ]),
    ).toBe(
      "left out 2 run(s) because of other tasks of the data set:\n" +
        "  run 316361: in the test split of open task pixel-2018-charge (public part), but before run 317000 where this task's test period starts\n" +
        "  run 317100: its labels are published by the train split of task pixel-2018-charge, but it is in this task's test period (from run 317000)\n",
    );
  });
});
