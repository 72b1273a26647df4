/**
 * Refreshing with back-off: after a refresh that changed something the next one comes after the base
 * interval; after one that changed nothing, or failed, the wait doubles up to a maximum. While the page
 * is hidden nothing is fetched. `poke()` refreshes now and starts again from the base interval.
 */
import type { IDisposable } from "@lumino/disposable";

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

export class BackoffPoller implements IDisposable {
  constructor(
    private readonly tick: () => Promise<RefreshOutcome>,
    private options: BackoffOptions,
  ) {
    this.delay = options.interval;
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  get isRunning(): boolean {
    return this._running;
  }

  /** The wait before the next refresh, ms. */
  get currentDelay(): number {
    return this.delay;
  }

  setOptions(options: BackoffOptions): void {
    this.options = options;
    this.delay = Math.min(Math.max(this.delay, options.interval), Math.max(options.interval, options.max));
    if (this._running) this.schedule();
  }

  start(): void {
    if (this._disposed || this._running) return;
    this._running = true;
    this.delay = this.options.interval;
    this.schedule();
  }

  stop(): void {
    this._running = false;
    this.clear();
  }

  /** Refresh now; the next refresh then follows the base interval's schedule. */
  async poke(): Promise<RefreshOutcome> {
    this.clear();
    this.delay = this.options.interval;
    const outcome = await this.run();
    this.delay = this.options.interval;
    if (this._running) this.schedule();
    return outcome;
  }

  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    this.stop();
  }

  private async run(): Promise<RefreshOutcome> {
    if (this.inFlight) return this.inFlight;
    this.inFlight = this.tick().catch((): RefreshOutcome => "failed");
    try {
      return await this.inFlight;
    } finally {
      this.inFlight = null;
    }
  }

  private schedule(): void {
    this.clear();
    this.timer = setTimeout(() => void this.fire(), this.delay);
  }

  private async fire(): Promise<void> {
    this.timer = null;
    if (!this._running || this._disposed) return;
    if (typeof document !== "undefined" && document.visibilityState === "hidden") {
      this.schedule();
      return;
    }
    const outcome = await this.run();
    this.delay = nextDelay(this.delay, outcome, this.options);
    if (this._running && !this._disposed) this.schedule();
  }

  private clear(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private delay: number;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private inFlight: Promise<RefreshOutcome> | null = null;
  private _running = false;
  private _disposed = false;
}
