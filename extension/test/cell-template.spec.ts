import { loadCellSource } from "../src/notebook/cell-template";

describe("loadCellSource", () => {
  it("loads the run's histograms of the monitor element with the kernel library and draws the heatmap", () => {
    expect(loadCellSource({ dataset: "demo-2018", monitorElement: "Pixel/charge", run: 315259 })).toBe(
      [
        `import * as dqm from "@dqm-playground/kernel";`,
        ``,
        `const pg = await dqm.connect();`,
        `const dataset = "demo-2018";`,
        `const me = "Pixel/charge";`,
        `// Run 315259: one row per lumisection (Arrow table: run, lumisection, entries, data)`,
        `const histograms = await pg.histograms(dataset, me, { run: 315259 });`,
        `const x = dqm.features(histograms, { normalize: "l1" });`,
        `dqm.plot.heatmap(x, 315259);`,
      ].join("\n"),
    );
  });

  it("adds the reference run's mean and the overlay of the selected lumisection", () => {
    const source = loadCellSource({
      dataset: "d",
      monitorElement: "m",
      run: 1,
      referenceRun: 2,
      lumisection: 7,
    });
    expect(source).toContain(
      `const ref = dqm.features(await pg.histograms(dataset, me, { run: 2, label: "good" }), { normalize: "l1" });`,
    );
    expect(source).toContain(`const reference = dqm.evaluate.reference(ref);`);
    expect(source).toContain(`dqm.plot.histogram(x.row(x.find(1, 7)), reference, {`);
    expect(source).toContain(`names: ["LS 7", "run 2 mean"],`);
  });

  it("lets the kernel library find the designated reference run", () => {
    const source = loadCellSource({
      dataset: "d",
      monitorElement: "m",
      run: 1,
      referenceRun: 2,
      referenceDesignated: true,
      lumisection: 7,
    });
    expect(source).toContain(
      [
        `// The reference: the designated reference run for run 1 (run 2), mean of its good lumisections, each normalised`,
        `const ref = await pg.reference(dataset, me, 1);`,
        `const reference = ref.values;`,
        `dqm.plot.histogram(x.row(x.find(1, 7)), reference, {`,
      ].join("\n"),
    );
    expect(source).not.toContain("pg.histograms(dataset, me, { run: 2");
  });

  it("leaves out the reference when it is the run itself, and the overlay for 2D or nothing selected", () => {
    expect(loadCellSource({ dataset: "d", monitorElement: "m", run: 1, referenceRun: 1 })).not.toContain(
      "reference",
    );
    expect(
      loadCellSource({ dataset: "d", monitorElement: "m", run: 1, referenceRun: 2, lumisection: 3, dim: 2 }),
    ).not.toContain("plot.histogram");
    expect(loadCellSource({ dataset: "d", monitorElement: "m", run: 1, referenceRun: 2 })).not.toContain(
      "plot.histogram",
    );
  });

  it("escapes names into string literals", () => {
    const source = loadCellSource({ dataset: 'a"b', monitorElement: "x\\y", run: 1 });
    expect(source).toContain(`const dataset = "a\\"b";`);
    expect(source).toContain(`const me = "x\\\\y";`);
  });
});
