/** The results table's pure parts: the ordering check and the Markdown it writes. */
import { orderingViolations, resultsMarkdown, type MethodResult } from "../bench/results";

const part = (rocAuc: number) => ({ rocAuc, averagePrecision: 0.5, savedEffort: 0.1, recallAt1e3: 0.2 });
const method = (name: string, kind: MethodResult["kind"], pub: number, priv: number): MethodResult => ({
  method: name,
  kind,
  public: part(pub),
  private: part(priv),
});

describe("results ordering", () => {
  const ordered = [
    method("Random", "random", 0.52, 0.47),
    method("Chi-square A", "baseline", 0.7, 0.75),
    method("Chi-square B", "baseline", 0.8, 0.72),
    method("AE 02", "notebook", 0.78, 0.9),
    method("AE 04", "notebook", 0.85, 0.88),
  ];

  test("holds when random is near 0.5, baselines clear it and the better notebook model beats them", () => {
    expect(orderingViolations(ordered)).toEqual([]);
  });

  test("names every violation with its part and figures", () => {
    const bad = [
      method("Random", "random", 0.56, 0.5),
      method("Chi-square A", "baseline", 0.6, 0.75),
      method("AE 04", "notebook", 0.7, 0.7),
    ];
    expect(orderingViolations(bad)).toEqual([
      "public: Random at 0.560, not 0.5 ± 0.05",
      "public: Chi-square A at 0.600, not 0.1 above random (0.560)",
      "private: the best notebook model, AE 04, at 0.700, not above the best baseline (0.750)",
    ]);
  });

  test("an undefined metric never passes", () => {
    const missing = ordered.map((m) =>
      m.kind === "notebook" ? { ...m, public: { ...m.public, rocAuc: null } } : m,
    );
    expect(orderingViolations(missing)).toEqual([
      "public: the best notebook model, AE 02, at NaN, not above the best baseline (0.800)",
    ]);
  });
});

describe("results Markdown", () => {
  test("one table per task with both parts, the verdict, the commit and the machine", () => {
    const text = resultsMarkdown(
      [
        {
          task: "pixel-task",
          title: "Pixel",
          strategy: "chronological",
          seed: 7,
          methods: [method("AE 04", "notebook", 0.85, 0.88)],
          checks: ["public: something"],
        },
      ],
      {
        size: "small",
        demoSeed: 2018,
        backend: "wasm",
        date: "2026-12-02",
        commit: "abc1234",
        machine: "test machine",
      },
    );
    expect(text).toContain("## pixel-task");
    expect(text).toContain("Split: chronological, seed 7. Ordering: **violated**: public: something.");
    expect(text).toContain("| AE 04 | 0.850 | 0.880 | 0.500 | 0.500 | 0.100 | 0.100 | 0.200 | 0.200 |");
    expect(text).toContain("commit abc1234");
    expect(text).toContain("- machine: test machine; TensorFlow.js backend for the notebook models: wasm");
  });
});
