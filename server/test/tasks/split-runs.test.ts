import { Random } from "../../src/util/seeded-random";
import type { RunRole, RunRoles, TestPart } from "../../src/store/run-roles";
import {
  MIN_BAD_RUNS_PER_PART,
  splitRuns,
  type RunSplit,
  type SplitCandidate,
  type SplitSettings,
} from "../../src/tasks/split-runs";

/** `runs` runs of `perRun` lumisections from run 1000 on; runs for which `bad(run)` holds have their last 3 bad. */
function candidates(runs: number, perRun: number, bad: (run: number) => boolean): SplitCandidate[] {
  const out: SplitCandidate[] = [];
  for (let run = 1000; run < 1000 + runs; run++)
    for (let ls = 1; ls <= perRun; ls++)
      out.push({ run, lumisection: ls, bad: bad(run) && ls > perRun - 3 ? 1 : 0 });
  return out;
}

const settings = (change: Partial<SplitSettings> = {}): SplitSettings => ({
  strategy: "random",
  test_fraction: 0.5,
  public_fraction: 0.5,
  seed: 1,
  public_seed: 2,
  ...change,
});

const hidden = (task: string, part: TestPart): RunRole => ({ hiddenIn: [{ task, part }], releasedBy: [] });
const released = (task: string, split: "train" | "test" = "train"): RunRole => ({
  hiddenIn: [],
  releasedBy: [{ task, split }],
});

const runsOf = (cs: SplitCandidate[]) => [...new Set(cs.map((c) => c.run))];
const badRunsOf = (cs: SplitCandidate[]) => runsOf(cs.filter((c) => c.bad === 1));
const parts = (split: RunSplit<SplitCandidate>) => ({
  public: split.test.filter((c) => split.publicRuns.has(c.run)),
  private: split.test.filter((c) => !split.publicRuns.has(c.run)),
});

describe("splitRuns, random strategy", () => {
  it("is stratified: train, the public and the private part each get at least two runs with bad lumisections", () => {
    // 20 runs, 6 of them with bad lumisections: unstratified shuffles often leave a part with one or none.
    const cs = candidates(20, 10, (run) => run % 3 === 0);
    for (let seed = 0; seed < 50; seed++) {
      const split = splitRuns(cs, new Map(), settings({ seed }));
      const { public: pub, private: priv } = parts(split);
      expect(badRunsOf(pub).length).toBeGreaterThanOrEqual(MIN_BAD_RUNS_PER_PART);
      expect(badRunsOf(priv).length).toBeGreaterThanOrEqual(MIN_BAD_RUNS_PER_PART);
      expect(badRunsOf(split.train).length).toBeGreaterThanOrEqual(1);
      expect(split.excluded).toEqual([]);
    }
  });

  it("splits by run, keeps every lumisection, and holds about test_fraction of them in test", () => {
    const cs = candidates(30, 10, (run) => run % 4 === 0);
    const split = splitRuns(cs, new Map(), settings({ test_fraction: 0.3, seed: 9 }));
    const trainRuns = new Set(runsOf(split.train));
    expect(runsOf(split.test).filter((r) => trainRuns.has(r))).toEqual([]);
    expect(split.train.length + split.test.length).toBe(cs.length);
    expect(split.test.length / cs.length).toBeGreaterThanOrEqual(0.25);
    expect(split.test.length / cs.length).toBeLessThanOrEqual(0.4);
    expect([...split.publicRuns].every((r) => runsOf(split.test).includes(r))).toBe(true);
  });

  it("gives the same split for the same input and seed, and another for another seed", () => {
    const cs = candidates(20, 5, (run) => run % 2 === 0);
    const a = splitRuns(cs, new Map(), settings({ seed: 4 }));
    const b = splitRuns(cs, new Map(), settings({ seed: 4 }));
    const c = splitRuns(cs, new Map(), settings({ seed: 5 }));
    expect(b).toEqual(a);
    expect(runsOf(c.test)).not.toEqual(runsOf(a.test));
  });

  it("draws the public/private division from public_seed alone: the published train/test split cannot give it away", () => {
    const cs = candidates(20, 5, (run) => run % 2 === 0);
    const a = splitRuns(cs, new Map(), settings({ seed: 4, public_seed: 1 }));
    const divisions = new Set<string>();
    for (let publicSeed = 1; publicSeed <= 8; publicSeed++) {
      const b = splitRuns(cs, new Map(), settings({ seed: 4, public_seed: publicSeed }));
      expect(runsOf(b.test)).toEqual(runsOf(a.test));
      divisions.add([...b.publicRuns].sort().join(","));
    }
    expect(divisions.size).toBeGreaterThan(1);
  });

  it("puts hidden runs in test in their part, released runs in train, and fills the rest with free runs", () => {
    const cs = candidates(16, 10, (run) => run % 2 === 0);
    const roles: RunRoles = new Map([
      [1000, hidden("a", "public")],
      [1001, hidden("a", "private")],
      [1002, released("a")],
      [1003, released("old", "test")],
    ]);
    const split = splitRuns(cs, roles, settings());
    expect(split.publicRuns.has(1000)).toBe(true);
    expect(runsOf(split.test)).toContain(1001);
    expect(split.publicRuns.has(1001)).toBe(false);
    expect(runsOf(split.train)).toEqual(expect.arrayContaining([1002, 1003]));
    expect(split.excluded).toEqual([]);
  });

  it("leaves out, with the reason, runs that are hidden and released, or hidden in both parts", () => {
    const cs = candidates(16, 10, (run) => run % 2 === 0);
    const roles: RunRoles = new Map([
      [1004, { hiddenIn: [{ task: "a", part: "public" }], releasedBy: [{ task: "b", split: "train" }] }],
      [
        1005,
        {
          hiddenIn: [
            { task: "a", part: "public" },
            { task: "c", part: "private" },
          ],
          releasedBy: [],
        },
      ],
      [1006, { hiddenIn: [{ task: "a", part: "private" }], releasedBy: [{ task: "d", split: "test" }] }],
    ]);
    const split = splitRuns(cs, roles, settings());
    expect(split.excluded).toEqual([
      {
        run: 1004,
        reason:
          "in the test split of open task a (public part) but its labels are published by the train split of task b",
      },
      {
        run: 1005,
        reason:
          "in the test split of open task a (public part), open task c (private part): in both parts, so either part here would be informed by the other",
      },
      {
        run: 1006,
        reason:
          "in the test split of open task a (private part) but its labels are published by closed task d",
      },
    ]);
    const used = new Set([...runsOf(split.train), ...runsOf(split.test)]);
    expect([1004, 1005, 1006].filter((r) => used.has(r))).toEqual([]);
  });
});

describe("splitRuns, chronological strategy", () => {
  it("trains on earlier runs and tests on the latest ones, holding test_fraction of the lumisections", () => {
    const cs = candidates(20, 10, (run) => run % 3 === 0);
    const split = splitRuns(cs, new Map(), settings({ strategy: "chronological", test_fraction: 0.4 }));
    expect(Math.max(...runsOf(split.train))).toBeLessThan(Math.min(...runsOf(split.test)));
    expect(runsOf(split.test)).toEqual([1012, 1013, 1014, 1015, 1016, 1017, 1018, 1019]);
    const { public: pub, private: priv } = parts(split);
    expect(badRunsOf(pub).length).toBeGreaterThanOrEqual(1);
    expect(badRunsOf(priv).length).toBeGreaterThanOrEqual(1);
  });

  it("drops hidden runs of the train period and released runs of the test period, naming them", () => {
    const cs = candidates(20, 10, (run) => run % 2 === 0);
    const roles: RunRoles = new Map([
      [1001, hidden("early", "public")],
      [1002, released("early")],
      [1018, hidden("late", "private")],
      [1019, released("late")],
    ]);
    const split = splitRuns(cs, roles, settings({ strategy: "chronological" }));
    expect(split.excluded).toEqual([
      {
        run: 1001,
        reason:
          "in the test split of open task early (public part), but before run 1010 where this task's test period starts",
      },
      {
        run: 1019,
        reason:
          "its labels are published by the train split of task late, but it is in this task's test period (from run 1010)",
      },
    ]);
    expect(runsOf(split.train)).toContain(1002);
    expect(runsOf(split.test)).toContain(1018);
    expect(split.publicRuns.has(1018)).toBe(false);
    expect(Math.max(...runsOf(split.train))).toBeLessThan(Math.min(...runsOf(split.test)));
  });
});

describe("splitRuns refuses splits it cannot make, naming the runs", () => {
  const cs = candidates(8, 10, (run) => run % 2 === 0);

  it("needs three runs", () => {
    expect(() =>
      splitRuns(
        candidates(2, 10, () => true),
        new Map(),
        settings(),
      ),
    ).toThrow("the task has lumisections of only 2 run(s): need at least 3 to split by run");
  });

  it("needs three runs after leaving some out, and says which and why", () => {
    const both = {
      hiddenIn: [{ task: "a", part: "public" as const }],
      releasedBy: [{ task: "b", split: "train" as const }],
    };
    expect(() =>
      splitRuns(
        candidates(3, 10, () => true),
        new Map([[1001, both]]),
        settings(),
      ),
    ).toThrow(
      "the task has lumisections of only 2 run(s): need at least 3 to split by run; left out: run 1001 (in the test split of open task a (public part) but its labels are published by the train split of task b)",
    );
  });

  it("needs a part with good and bad lumisections", () => {
    // One run with bad lumisections: one part gets none.
    expect(() =>
      splitRuns(
        candidates(8, 10, (run) => run === 1003),
        new Map(),
        settings(),
      ),
    ).toThrow(
      /^the (public|private) test part \(runs [\d, ]+\) lacks good or bad lumisections: try another split.seed or more runs$/,
    );
  });

  it("names the runs left out when they are why a part lacks bad lumisections", () => {
    const roles: RunRoles = new Map(
      [1000, 1002, 1004].map((run): [number, RunRole] => [
        run,
        { ...hidden("a", "public"), releasedBy: [{ task: "b", split: "train" }] },
      ]),
    );
    expect(() => splitRuns(cs, roles, settings())).toThrow(
      "lacks good or bad lumisections: try another split.seed or more runs; left out: run 1000 (in the test split of open task a (public part) but its labels are published by the train split of task b), run 1002 (",
    );
  });

  it("needs a train split: every run hidden", () => {
    const roles: RunRoles = new Map(
      runsOf(cs).map((run) => [run, hidden("a", run % 4 < 2 ? "public" : "private")]),
    );
    expect(() => splitRuns(cs, roles, settings())).toThrow("the train split would hold no run");
  });

  it("needs a test split: every run released", () => {
    const roles: RunRoles = new Map(runsOf(cs).map((run) => [run, released("a")]));
    expect(() => splitRuns(cs, roles, settings())).toThrow("the test split would hold no run");
  });

  it("needs a test split: chronological, with every late run released", () => {
    const roles: RunRoles = new Map([1004, 1005, 1006, 1007].map((run) => [run, released("a")]));
    expect(() => splitRuns(cs, roles, settings({ strategy: "chronological" }))).toThrow(
      "the test split would hold no run; left out: run 1004 (its labels are published by the train split of task a, but it is in this task's test period (from run 1004))",
    );
  });
});

describe("splitRuns invariants under random roles", () => {
  it("never puts a hidden run in train or a released run in test, and keeps hidden runs' parts", () => {
    const gen = new Random(20240611);
    let made = 0;
    let refused = 0;
    for (let trial = 0; trial < 400; trial++) {
      const runs = 4 + gen.int(30);
      const badShare = gen.uniform();
      const badRuns = new Set(
        Array.from({ length: runs }, (_, i) => 1000 + i).filter(() => gen.chance(badShare)),
      );
      const cs = candidates(runs, 1 + gen.int(12), (run) => badRuns.has(run));
      const roles: RunRoles = new Map();
      for (let run = 1000; run < 1000 + runs; run++) {
        const role: RunRole = { hiddenIn: [], releasedBy: [] };
        const u = gen.uniform();
        if (u < 0.2) role.hiddenIn.push({ task: "t1", part: gen.chance(0.5) ? "public" : "private" });
        else if (u < 0.4) role.releasedBy.push({ task: "t2", split: gen.chance(0.5) ? "train" : "test" });
        if (gen.chance(0.05))
          role.hiddenIn.push({ task: "t3", part: gen.chance(0.5) ? "public" : "private" });
        if (gen.chance(0.05)) role.releasedBy.push({ task: "t4", split: "train" });
        roles.set(run, role);
      }
      const strategy = gen.chance(0.5) ? "random" : "chronological";
      const spec = settings({
        strategy,
        test_fraction: gen.between(0.1, 0.9),
        public_fraction: gen.between(0.1, 0.9),
        seed: gen.int(1000),
      });
      let split: RunSplit<SplitCandidate>;
      try {
        split = splitRuns(cs, roles, spec);
      } catch (err) {
        expect((err as Error).message).toMatch(
          /need at least 3 to split by run|would hold no run|lacks good or bad/,
        );
        refused++;
        continue;
      }
      made++;
      const trainRuns = runsOf(split.train);
      const testRuns = runsOf(split.test);
      const excluded = new Set(split.excluded.map((e) => e.run));
      for (const run of trainRuns) expect(roles.get(run)!.hiddenIn).toEqual([]);
      for (const run of testRuns) {
        const role = roles.get(run)!;
        expect(role.releasedBy).toEqual([]);
        for (const h of role.hiddenIn) expect(split.publicRuns.has(run)).toBe(h.part === "public");
      }
      // Every labelled run is used exactly once or reported.
      expect([...trainRuns, ...testRuns, ...excluded].sort()).toEqual(runsOf(cs).sort());
      if (strategy === "chronological") expect(Math.max(...trainRuns)).toBeLessThan(Math.min(...testRuns));
      for (const part of Object.values(parts(split))) {
        expect(part.some((c) => c.bad === 1)).toBe(true);
        expect(part.some((c) => c.bad === 0)).toBe(true);
      }
    }
    // Both outcomes happen: the invariants were checked on many splits, and refusals were exercised.
    expect(made).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(10);
  });
});
