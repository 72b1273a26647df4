/**
 * Refreshing with back-off on Lumino's `Poll`: after a refresh that changed something the next one
 * comes after the base interval; after one that changed nothing, or failed, the wait doubles up to a
 * maximum (the rule is ours: `Poll` backs off only on failures, by a random factor). While the page is
 * hidden the poll stands by. `poke()` refreshes now and starts again from the base interval.
 */
import type { IDisposable } from "@lumino/disposable";
import { Poll } from "@lumino/polling";

export interface BackoffOptions {
  /** Base interval, ms. */
  interval: number;
  /** Longest interval, ms. */
  max: number;
  /** Growth of the interval after an unchanged or failed refresh. */
  factor?: number;
}

export type RefreshOutcome = "changed" | "unchanged" | "failed";

export function nextDelay(current: number, outcome: RefreshOutcome, options: BackoffOptions): number {
  const base = Math.max(1, options.interval);
  const max = Math.max(base, options.max);
  if (outcome === "changed") return base;
  return Math.min(max, Math.max(base, current * (options.factor ?? 2)));
}

function pageHidden(): boolean {
  return typeof document !== "undefined" && document.visibilityState === "hidden";
}

export class BackoffPoller implements IDisposable {
  constructor(
    private readonly refresh: () => Promise<RefreshOutcome>,
    private options: BackoffOptions,
  ) {
    this.delay = options.interval;
    this.poll = new Poll({
      auto: false,
      factory: () => this.tick(),
      frequency: this.frequency(),
      standby: pageHidden,
      name: "dqm-playground:refresh",
    });
  }

  get isDisposed(): boolean {
    return this.poll.isDisposed;
  }

  get isRunning(): boolean {
    return this._running && !this.isDisposed;
  }

  /** The wait before the next refresh, ms. */
  get currentDelay(): number {
    return this.delay;
  }

  setOptions(options: BackoffOptions): void {
    this.options = options;
    this.delay = Math.min(Math.max(this.delay, options.interval), Math.max(options.interval, options.max));
    this.reschedule("rescheduled");
  }

  start(): void {
    if (this.isDisposed || this._running) return;
    this._running = true;
    this.delay = this.options.interval;
    this.reschedule("started");
  }

  stop(): void {
    this._running = false;
    if (!this.isDisposed) void this.poll.stop();
  }

  /** Refresh now; the next refresh then follows the base interval's schedule. */
  async poke(): Promise<RefreshOutcome> {
    this.delay = this.options.interval;
    const outcome = await this.run();
    this.delay = this.options.interval;
    this.reschedule("refreshed");
    return outcome;
  }

  dispose(): void {
    this._running = false;
    this.poll.dispose();
  }

  /** The poll's factory: one refresh, then the wait before the next one. */
  private async tick(): Promise<void> {
    const outcome = await this.run();
    this.delay = nextDelay(this.delay, outcome, this.options);
    this.poll.frequency = this.frequency();
  }

  /** One refresh at a time: a refresh asked for while one runs shares its outcome. */
  private async run(): Promise<RefreshOutcome> {
    if (this.inFlight) return this.inFlight;
    this.inFlight = this.refresh().catch((): RefreshOutcome => "failed");
    try {
      return await this.inFlight;
    } finally {
      this.inFlight = null;
    }
  }

  /** The next tick after the current delay (replacing the one scheduled), while running. */
  private reschedule(phase: "started" | "refreshed" | "rescheduled"): void {
    if (!this.isRunning) return;
    this.poll.frequency = this.frequency();
    void this.poll.schedule({ interval: this.delay, phase });
  }

  /** `Poll` waits `interval` after each tick; it backs off only on failures, which `run` never lets through. */
  private frequency(): { interval: number; backoff: false; max: number } {
    return { interval: this.delay, backoff: false, max: Poll.MAX_INTERVAL };
  }

  private readonly poll: Poll<void, unknown, "rescheduled">;
  private delay: number;
  private inFlight: Promise<RefreshOutcome> | null = null;
  private _running = false;
}
