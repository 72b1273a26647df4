import { BackoffPoller, nextDelay, type RefreshOutcome } from "../src/models/poller";

const options = { interval: 1000, max: 8000 };

describe("nextDelay", () => {
  it("returns to the base interval after a change", () => {
    expect(nextDelay(4000, "changed", options)).toBe(1000);
  });

  it("doubles after an unchanged or failed refresh, up to the maximum", () => {
    expect(nextDelay(1000, "unchanged", options)).toBe(2000);
    expect(nextDelay(2000, "failed", options)).toBe(4000);
    expect(nextDelay(8000, "unchanged", options)).toBe(8000);
    expect(nextDelay(1000, "unchanged", { ...options, factor: 3 })).toBe(3000);
  });

  it("never goes below the base interval nor uses a maximum below it", () => {
    expect(nextDelay(10, "unchanged", options)).toBe(1000);
    expect(nextDelay(1000, "unchanged", { interval: 1000, max: 10 })).toBe(1000);
  });
});

describe("BackoffPoller", () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  async function advance(ms: number): Promise<void> {
    await jest.advanceTimersByTimeAsync(ms);
  }

  it("refreshes after the interval and backs off while nothing changes", async () => {
    const outcomes: RefreshOutcome[] = ["unchanged", "unchanged", "changed", "unchanged"];
    const tick = jest.fn(async () => outcomes.shift() ?? "unchanged");
    const poller = new BackoffPoller(tick, options);
    poller.start();
    await advance(999);
    expect(tick).toHaveBeenCalledTimes(0);
    await advance(1);
    expect(tick).toHaveBeenCalledTimes(1);
    expect(poller.currentDelay).toBe(2000);
    await advance(2000);
    expect(tick).toHaveBeenCalledTimes(2);
    expect(poller.currentDelay).toBe(4000);
    await advance(4000);
    expect(tick).toHaveBeenCalledTimes(3);
    expect(poller.currentDelay).toBe(1000);
    poller.dispose();
  });

  it("backs off when the refresh throws", async () => {
    const tick = jest.fn(async (): Promise<RefreshOutcome> => {
      throw new Error("down");
    });
    const poller = new BackoffPoller(tick, options);
    poller.start();
    await advance(1000);
    expect(poller.currentDelay).toBe(2000);
    poller.dispose();
  });

  it("refreshes at once on poke and starts again from the base interval", async () => {
    const tick = jest.fn(async (): Promise<RefreshOutcome> => "unchanged");
    const poller = new BackoffPoller(tick, options);
    poller.start();
    await advance(3000);
    expect(poller.currentDelay).toBe(4000);
    await expect(poller.poke()).resolves.toBe("unchanged");
    expect(poller.currentDelay).toBe(1000);
    const calls = tick.mock.calls.length;
    await advance(1000);
    expect(tick).toHaveBeenCalledTimes(calls + 1);
    poller.dispose();
  });

  it("stops refreshing when stopped or disposed", async () => {
    const tick = jest.fn(async (): Promise<RefreshOutcome> => "changed");
    const poller = new BackoffPoller(tick, options);
    poller.start();
    poller.stop();
    expect(poller.isRunning).toBe(false);
    await advance(5000);
    expect(tick).not.toHaveBeenCalled();
    poller.start();
    poller.dispose();
    expect(poller.isDisposed).toBe(true);
    await advance(5000);
    expect(tick).not.toHaveBeenCalled();
    poller.start();
    expect(poller.isRunning).toBe(false);
  });

  it("waits while the page is hidden", async () => {
    const tick = jest.fn(async (): Promise<RefreshOutcome> => "changed");
    const poller = new BackoffPoller(tick, options);
    const visibility = jest.spyOn(document, "visibilityState", "get").mockReturnValue("hidden");
    poller.start();
    await advance(3000);
    expect(tick).not.toHaveBeenCalled();
    visibility.mockReturnValue("visible");
    await advance(1000);
    expect(tick).toHaveBeenCalledTimes(1);
    visibility.mockRestore();
    poller.dispose();
  });

  it("takes new options and keeps the current wait within them", async () => {
    const tick = jest.fn(async (): Promise<RefreshOutcome> => "unchanged");
    const poller = new BackoffPoller(tick, options);
    poller.start();
    await advance(1000 + 2000 + 4000);
    expect(poller.currentDelay).toBe(8000);
    poller.setOptions({ interval: 500, max: 3000 });
    expect(poller.currentDelay).toBe(3000);
    poller.dispose();
  });
});
