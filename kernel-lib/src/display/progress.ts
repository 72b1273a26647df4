/**
 * Training progress in one cell output. On a rich, updatable sink (tslab, Deno): one status line
 * (a progress bar, epoch, losses, elapsed time) and one loss chart, both replaced in place, throttled
 * by time. On a text sink (plain Node, or a frontend that cannot update): about `textLines` lines
 * for the whole run, plus the last epoch.
 */
import { escapeHtml, formatCell } from "./html";
import { sink as currentSink, type DisplayHandle, type DisplaySink, type MimeBundle } from "./sink";

export interface EpochLog {
  /** 1-based. */
  epoch: number;
  loss: number;
  valLoss: number | null;
  /** Seconds since the start of training. */
  seconds: number;
}

export interface ProgressOptions {
  sink?: DisplaySink;
  title?: string;
  /** Least time between two updates of the status line (ms); default 250. */
  minIntervalMs?: number;
  /** Least time between two updates of the chart (ms); default 1000. */
  chartIntervalMs?: number;
  /** Lines printed on a text sink; default 10. */
  textLines?: number;
  /** Builds the loss chart bundle from the epochs so far; no chart when absent. */
  chart?: (epochs: readonly EpochLog[]) => MimeBundle;
  /** Clock (ms), for tests. */
  now?: () => number;
}

function statusText(title: string, e: EpochLog, total: number): string {
  const val = e.valLoss === null ? "" : `, val_loss ${formatCell(e.valLoss)}`;
  return `${title}epoch ${e.epoch}/${total}: loss ${formatCell(e.loss)}${val} (${e.seconds.toFixed(1)} s)`;
}

function statusBundle(title: string, e: EpochLog, total: number, note = ""): MimeBundle {
  const text = statusText(title, e, total) + (note ? ` ${note}` : "");
  const html =
    `<div class="dqm-playground-progress"><progress value="${e.epoch}" max="${total}" style="width:12em"></progress> ` +
    `<code>${escapeHtml(text)}</code></div>`;
  return { "text/html": html, "text/plain": text };
}

export class FitProgress {
  private readonly sink: DisplaySink;
  private readonly title: string;
  private readonly epochs: EpochLog[] = [];
  private status: DisplayHandle | null = null;
  private chart: DisplayHandle | null = null;
  private lastStatus = -Infinity;
  private lastChart = -Infinity;
  private printedBucket = -1;
  private readonly now: () => number;

  constructor(
    private readonly total: number,
    private readonly opts: ProgressOptions = {},
  ) {
    this.sink = opts.sink ?? currentSink();
    this.title = opts.title ? `${opts.title}: ` : "";
    this.now = opts.now ?? (() => Date.now());
  }

  /** Whether outputs are replaced in place. */
  get inPlace(): boolean {
    return this.sink.rich && this.sink.updatable;
  }

  epoch(e: EpochLog): void {
    this.epochs.push(e);
    if (!this.inPlace) {
      const lines = this.opts.textLines ?? 10;
      const bucket = Math.floor(((e.epoch - 1) * lines) / this.total);
      if (bucket > this.printedBucket || e.epoch === this.total) {
        this.printedBucket = bucket;
        this.sink.show({ "text/plain": statusText(this.title, e, this.total) });
      }
      return;
    }
    const t = this.now();
    if (t - this.lastStatus >= (this.opts.minIntervalMs ?? 250)) this.updateStatus(e);
    if (this.opts.chart && t - this.lastChart >= (this.opts.chartIntervalMs ?? 1000)) this.updateChart();
  }

  /** Final state: the last epoch shown, with a note (e.g. "stopped early, best epoch 12"). */
  done(note = ""): void {
    const last = this.epochs[this.epochs.length - 1];
    if (!last) return;
    if (!this.inPlace) {
      if (note || this.printedBucket < 0 || last.epoch !== this.total)
        this.sink.show({
          "text/plain": `${statusText(this.title, last, this.total)}${note ? ` ${note}` : ""}`,
        });
      return;
    }
    this.updateStatus(last, note);
    if (this.opts.chart) this.updateChart();
  }

  private updateStatus(e: EpochLog, note = ""): void {
    const b = statusBundle(this.title, e, this.total, note);
    if (this.status) this.status.update(b);
    else this.status = this.sink.show(b);
    this.lastStatus = this.now();
  }

  private updateChart(): void {
    const b = this.opts.chart!(this.epochs);
    if (this.chart) this.chart.update(b);
    else this.chart = this.sink.show(b);
    this.lastChart = this.now();
  }
}
