import plugins from "../src/index";
import { runRef } from "../src/plugins/browser";
import { refreshOptions } from "../src/plugins/leaderboard";
import { DEFAULT_SETTINGS, IPlaygroundService, PLUGIN_ID } from "../src/tokens";

describe("plugins", () => {
  it("registers the service, browser and leaderboard plugins; the service one owns the settings", () => {
    expect(plugins.map((p) => p.id)).toEqual([
      PLUGIN_ID,
      "@dqm-playground/jupyterlab:browser",
      "@dqm-playground/jupyterlab:leaderboard",
    ]);
    expect(PLUGIN_ID).toBe("@dqm-playground/jupyterlab:plugin");
    expect(plugins[0].provides).toBe(IPlaygroundService);
    expect(plugins.every((p) => p.autoStart)).toBe(true);
  });
});

describe("runRef", () => {
  it("reads the run view arguments, defaulting the data set", () => {
    expect(runRef({ dataset: "d", run: 5, me: "m" }, null)).toEqual({ dataset: "d", run: 5, me: "m" });
    expect(runRef({ run: "7" }, "chosen")).toEqual({ dataset: "chosen", run: 7, me: null });
  });

  it("says which argument is missing", () => {
    expect(() => runRef({ run: 5 }, null)).toThrow(
      "open-run needs a 'dataset' argument (no data set is chosen in the browser)",
    );
    expect(() => runRef({ dataset: "d", run: "x" }, null)).toThrow("open-run needs a run number, got 'x'");
  });
});

describe("refreshOptions", () => {
  it("turns the settings' seconds into the poller's milliseconds", () => {
    expect(refreshOptions(DEFAULT_SETTINGS)).toEqual({ interval: 10000, max: 300000 });
  });
});
