import { ChartWidget } from "../src/charts/chart";
import embed from "./mocks/vega-embed";

describe("ChartWidget", () => {
  beforeEach(() => {
    embed.calls.length = 0;
  });

  it("draws a spec, reports clicked marks and frees the previous view", async () => {
    const chart = new ChartWidget({ label: "test chart", testId: "test-chart" });
    expect(chart.node.getAttribute("aria-label")).toBe("test chart");
    const clicked: unknown[] = [];
    chart.clicked.connect((_, d) => clicked.push(d));
    await chart.render({ mark: "bar" });
    expect(embed.calls).toHaveLength(1);
    expect(chart.spec).toEqual({ mark: "bar" });
    embed.calls[0].view.click({ ls: 3 });
    embed.calls[0].view.click(null);
    expect(clicked).toEqual([{ ls: 3 }]);
    await chart.render({ mark: "line" });
    expect(embed.calls[0].view.finalized).toBe(true);
    await chart.render(null);
    expect(embed.calls[1].view.finalized).toBe(true);
    expect(chart.node.textContent).toBe("");
    chart.dispose();
  });

  it("sets parameters on the drawn view and keeps them for the next drawing", async () => {
    const chart = new ChartWidget({ label: "c", testId: "c" });
    await chart.render({ mark: "rect" });
    await chart.setSignal("selected_ls", 4);
    expect(embed.calls[0].view.signals.selected_ls).toBe(4);
    const pending = chart.render({ mark: "rect" });
    await chart.setSignal("selected_ls", 5);
    await pending;
    expect(embed.calls[1].view.signals.selected_ls).toBe(5);
    chart.dispose();
  });

  it("shows why a chart could not be drawn", async () => {
    const chart = new ChartWidget({ label: "c", testId: "c" });
    const spy = jest.spyOn(embed.calls, "push").mockImplementation(() => {
      throw new Error("bad spec");
    });
    await chart.render({ mark: "nope" });
    spy.mockRestore();
    expect(chart.node.querySelector('[role="alert"]')!.textContent).toBe(
      "Could not draw the chart: bad spec",
    );
    chart.dispose();
  });
});
