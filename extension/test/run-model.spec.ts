import { lumiLabel } from "../src/models/lumi-label";
import { defaultReferenceRun, initialReferenceRun, RunViewModel } from "../src/models/run-model";
import { designate, FakeService, LUMISECTIONS, ME_1D, ME_2D, RUNS } from "./fake-service";

async function loaded(ref = { dataset: "demo", run: 100 }, fake = new FakeService()): Promise<RunViewModel> {
  const model = new RunViewModel(fake.client(), ref);
  await model.load();
  return model;
}

describe("defaultReferenceRun", () => {
  it("picks the other run with the highest golden fraction, skipping withheld runs", () => {
    expect(defaultReferenceRun(RUNS, 100)).toBe(102);
    expect(defaultReferenceRun(RUNS, 102)).toBe(100);
    expect(defaultReferenceRun([RUNS[1]], 100)).toBeNull();
  });

  it("prefers more lumisections among equal fractions", () => {
    const runs = [
      { ...RUNS[0], run: 1, goldenFraction: 1, lumisections: 3 },
      { ...RUNS[0], run: 2, goldenFraction: 1, lumisections: 9 },
    ];
    expect(defaultReferenceRun(runs, 5)).toBe(2);
  });
});

describe("initialReferenceRun", () => {
  it("takes the run's designated reference run, else the suggested one", () => {
    expect(initialReferenceRun(designate(RUNS, [101]), 100)).toBe(101);
    expect(initialReferenceRun(designate(RUNS, [100]), 102)).toBe(100);
    // The only designated run is the run itself: nothing designated for it, so the suggestion.
    expect(initialReferenceRun(designate(RUNS, [100]), 100)).toBe(102);
    expect(initialReferenceRun(RUNS, 100)).toBe(102);
  });
});

describe("lumiLabel", () => {
  it("marks withheld and unknown labels", () => {
    expect(lumiLabel(LUMISECTIONS[101][0])).toBe("withheld");
    expect(lumiLabel({ ...LUMISECTIONS[100][0], label: null })).toBe("unknown");
    expect(lumiLabel(LUMISECTIONS[100][2])).toBe("bad");
  });
});

describe("RunViewModel", () => {
  it("loads the run's lumisections, labels and histograms on the first monitor element", async () => {
    const model = await loaded();
    expect(model.status.state).toBe("ready");
    expect(model.monitorElement?.name).toBe(ME_1D.name);
    expect(model.lumisections.map((r) => [r.ls, r.label, r.entries])).toEqual([
      [1, "good", 3],
      [2, "good", 4],
      [3, "bad", 5],
      [4, "good", 6],
      [5, "good", 7],
    ]);
    expect(model.selectedLumisection).toBe(1);
    expect(model.labels()[2]).toEqual({ ls: 3, label: "bad" });
    expect(model.ref).toEqual({ dataset: "demo", run: 100, me: ME_1D.name });
  });

  it("compares the selected lumisection with the reference run's mean of good lumisections", async () => {
    const model = await loaded();
    expect(model.referenceRun).toBe(102);
    expect(model.reference).toMatchObject({ run: 102, count: 4, goodOnly: true });
    expect(Array.from(model.reference!.mean)).toEqual([0.25, 0.25, 0.25, 0.25]);
    model.selectLumisection(3);
    expect(Array.from(model.selectedValues()!)).toEqual([0.6, 0.2, 0, 0.2]);
  });

  it("uses the designated reference run for the run by default, and another run when asked", async () => {
    const fake = new FakeService();
    fake.runs = designate(RUNS, [101]);
    const model = await loaded({ dataset: "demo", run: 100 }, fake);
    expect([model.designatedReferenceRun, model.referenceRun, model.referenceOrigin]).toEqual([
      101,
      101,
      "designated",
    ]);
    expect(model.reference).toMatchObject({ run: 101, count: 3, goodOnly: false });
    expect(model.cellSource()).toContain("const ref = await pg.reference(dataset, me, 100);");
    await model.setReferenceRun(102);
    expect([model.referenceRun, model.referenceOrigin, model.reference?.run]).toEqual([102, "chosen", 102]);
    expect(model.cellSource()).not.toContain("pg.reference(");
    await model.setReferenceRun(null);
    expect(model.referenceOrigin).toBe("none");
  });

  it("suggests the best-certified run when the data set has no designated reference run", async () => {
    const model = await loaded();
    expect([model.designatedReferenceRun, model.referenceRun, model.referenceOrigin]).toEqual([
      null,
      102,
      "suggested",
    ]);
    await model.setReferenceRun(101);
    expect(model.referenceOrigin).toBe("chosen");
  });

  it("averages every lumisection of a reference run without labels", async () => {
    const model = await loaded();
    await model.setReferenceRun(101);
    expect(model.reference).toMatchObject({ run: 101, count: 3, goodOnly: false });
    await model.setReferenceRun(null);
    expect(model.reference).toBeNull();
    expect(model.status.state).toBe("ready");
  });

  it("opens on the requested monitor element and switches to another", async () => {
    const model = await loaded({ dataset: "demo", run: 100, me: ME_2D.name } as never);
    expect(model.monitorElement?.name).toBe(ME_2D.name);
    expect(model.histograms?.width).toBe(6);
    await model.setMonitorElement(ME_1D.name);
    expect(model.histograms?.width).toBe(4);
    await expect(model.setMonitorElement("nope")).rejects.toThrow(
      "data set 'demo' has no monitor element 'nope'",
    );
  });

  it("refuses to select a lumisection the run does not have", async () => {
    const model = await loaded();
    expect(() => model.selectLumisection(99)).toThrow("run 100 has no lumisection 99");
    model.selectLumisection(null);
    expect(model.selectedValues()).toBeNull();
  });

  it("writes the notebook cell for what it shows", async () => {
    const model = await loaded();
    model.selectLumisection(3);
    const source = model.cellSource();
    expect(source).toContain(`import * as dqm from "@dqm-playground/kernel";`);
    expect(source).toContain(`const dataset = "demo";`);
    expect(source).toContain(`const me = "Pixel/charge";`);
    expect(source).toContain(`await pg.histograms(dataset, me, { run: 100 });`);
    expect(source).toContain(`{ run: 102, label: "good" }`);
    expect(source).toContain(`x.find(100, 3)`);
  });

  it("reports a failed load with the run and the reason, and loads again on retry", async () => {
    const fake = new FakeService();
    fake.failNext("datasets/demo/runs/100/lumisections", 404, {
      statusCode: 404,
      message: "no run 100 in 'demo'",
    });
    const model = new RunViewModel(fake.client(), { dataset: "demo", run: 100 });
    await model.load();
    expect(model.status.state === "error" && model.status.message).toBe(
      "Could not load run 100 of 'demo'. Not found (404): no run 100 in 'demo'",
    );
    await model.load();
    expect(model.status.state).toBe("ready");
  });

  it("reports a data set without monitor elements", async () => {
    const fake = new FakeService();
    fake.monitorElements = [];
    const model = await loaded(undefined, fake);
    expect(model.status.state === "error" && model.status.message).toBe(
      "Could not load run 100 of 'demo'. data set 'demo' has no monitor elements",
    );
  });
});
