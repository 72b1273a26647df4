import { DatasetBrowserModel } from "../src/models/browser-model";
import { DATASET, FakeService, ME_1D } from "./fake-service";

describe("DatasetBrowserModel", () => {
  it("loads the data sets and opens the first with its monitor elements and runs", async () => {
    const model = new DatasetBrowserModel(new FakeService().client());
    const states: string[] = [];
    model.changed.connect(() => states.push(model.status.state));
    await model.refresh();
    expect(model.status).toEqual({ state: "ready" });
    expect(states[0]).toBe("loading");
    expect(model.dataset?.name).toBe("demo");
    expect(model.monitorElements.map((m) => m.name)).toEqual([ME_1D.name, "Pixel/occupancy"]);
    expect(model.monitorElement).toBe(ME_1D.name);
    expect(model.runs.map((r) => [r.run, r.era])).toEqual([
      [100, "2018"],
      [101, "2018"],
      [102, "2018"],
    ]);
    expect(model.tasks.map((t) => t.name)).toEqual(["pixel-task"]);
    expect(model.describeDataset()).toBe(
      "era 2018 · ZeroBias · 2 monitor elements · 3 runs · 12 lumisections",
    );
  });

  it("searches and sorts runs", async () => {
    const model = new DatasetBrowserModel(new FakeService().client());
    await model.refresh();
    model.setRunQuery("101-102");
    expect(model.visibleRuns.map((r) => r.run)).toEqual([101, 102]);
    model.setRunQuery("withheld");
    expect(model.visibleRuns.map((r) => r.run)).toEqual([101]);
    model.setRunQuery("");
    model.sortRunsBy("goldenFraction");
    expect(model.runSort).toEqual({ key: "goldenFraction", direction: "ascending" });
    expect(model.visibleRuns.map((r) => r.run)).toEqual([100, 102, 101]);
    model.sortRunsBy("goldenFraction");
    expect(model.visibleRuns.map((r) => r.run)).toEqual([102, 100, 101]);
  });

  it("computes the visible rows once per change", async () => {
    const model = new DatasetBrowserModel(new FakeService().client());
    await model.refresh();
    expect(model.visibleRuns).toBe(model.visibleRuns);
    const before = model.visibleRuns;
    model.setRunQuery("10");
    expect(model.visibleRuns).not.toBe(before);
  });

  it("searches and sorts monitor elements and remembers the chosen one", async () => {
    const model = new DatasetBrowserModel(new FakeService().client());
    await model.refresh();
    model.setMeQuery("th2");
    expect(model.visibleMonitorElements.map((m) => m.name)).toEqual(["Pixel/occupancy"]);
    model.setMeQuery("");
    model.sortMonitorElementsBy("bins");
    expect(model.visibleMonitorElements.map((m) => m.name)).toEqual([ME_1D.name, "Pixel/occupancy"]);
    model.sortMonitorElementsBy("bins");
    expect(model.visibleMonitorElements.map((m) => m.name)).toEqual(["Pixel/occupancy", ME_1D.name]);
    model.selectMonitorElement("Pixel/occupancy");
    await model.refresh();
    expect(model.monitorElement).toBe("Pixel/occupancy");
  });

  it("keeps the chosen data set across a refresh and switches data sets", async () => {
    const fake = new FakeService();
    fake.datasets = [DATASET, { ...DATASET, name: "other", era: null, primaryDataset: null }];
    const model = new DatasetBrowserModel(fake.client());
    await model.refresh();
    await model.selectDataset("other");
    expect(model.dataset?.name).toBe("other");
    expect(model.runs[0].era).toBeNull();
    await model.refresh();
    expect(model.dataset?.name).toBe("other");
    await expect(model.selectDataset("nope")).rejects.toThrow("no data set named 'nope'");
  });

  it("says so when the service has no data sets", async () => {
    const fake = new FakeService();
    fake.datasets = [];
    const model = new DatasetBrowserModel(fake.client());
    await model.refresh();
    expect(model.dataset).toBeNull();
    expect(model.runs).toEqual([]);
    expect(model.describeDataset()).toBe("No data sets in the service yet.");
  });

  it("reports a failure with its reason and recovers on retry", async () => {
    const fake = new FakeService();
    fake.failNext("datasets", 502, "<html>Bad Gateway</html>");
    const model = new DatasetBrowserModel(fake.client());
    await model.refresh();
    expect(model.status.state).toBe("error");
    expect(model.status.state === "error" && model.status.message).toBe(
      "Could not load the data sets. The DQM Playground service is not available (502): Bad Gateway. It may have failed to start or stopped; see the Jupyter server's log.",
    );
    await model.refresh();
    expect(model.status.state).toBe("ready");
  });

  it("reports a failing data set by name", async () => {
    const fake = new FakeService();
    const model = new DatasetBrowserModel(fake.client());
    await model.refresh();
    fake.failNext("datasets/demo/runs", 500, { message: "boom" });
    await model.selectDataset("demo");
    expect(model.status.state === "error" && model.status.message).toBe(
      "Could not load data set 'demo'. The service failed (500): boom",
    );
  });
});
