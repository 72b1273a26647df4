/**
 * A widget that shows one Vega-Lite chart with vega-embed (loaded on first use). Clicking a mark
 * reports the mark's data; rendering again replaces the chart and frees the previous Vega view.
 */
import { Widget } from "@lumino/widgets";
import { Signal, type ISignal } from "@lumino/signaling";
import type { ChartSpec } from "./specs";

/** The part of a Vega view the widget uses. */
interface VegaView {
  addEventListener(
    type: string,
    handler: (event: unknown, item: { datum?: unknown } | null | undefined) => void,
  ): void;
  finalize(): void;
  signal(name: string, value: unknown): VegaView;
  runAsync(): Promise<unknown>;
}

type Embed = (
  el: HTMLElement,
  spec: ChartSpec,
  options: Record<string, unknown>,
) => Promise<{ view: VegaView }>;

let embedModule: Promise<Embed> | null = null;

async function loadEmbed(): Promise<Embed> {
  embedModule ??= import("vega-embed").then((m) => m.default as unknown as Embed);
  return embedModule;
}

export class ChartWidget extends Widget {
  constructor(options: { label: string; testId: string }) {
    super();
    this.addClass("dqm-chart");
    this.node.setAttribute("role", "img");
    this.node.setAttribute("aria-label", options.label);
    this.node.dataset.testid = options.testId;
  }

  /** The data of a clicked mark (for example `{ls: 12, ...}`). */
  get clicked(): ISignal<this, Record<string, unknown>> {
    return this._clicked;
  }

  /** The last spec rendered (tests and "open in notebook" read it). */
  get spec(): ChartSpec | null {
    return this._spec;
  }

  /** Sets a parameter of the chart drawn (or being drawn) without drawing it again. */
  async setSignal(name: string, value: unknown): Promise<void> {
    this.signals.set(name, value);
    if (this.view) await this.view.signal(name, value).runAsync();
  }

  /** Renders `spec`; resolves when the chart is drawn (a failure is shown in place of the chart). */
  async render(spec: ChartSpec | null): Promise<void> {
    const generation = ++this.generation;
    this._spec = spec;
    this.signals.clear();
    this.clearView();
    if (!spec) {
      this.node.textContent = "";
      return;
    }
    try {
      const embed = await loadEmbed();
      if (generation !== this.generation) return;
      const host = document.createElement("div");
      host.className = "dqm-chart-host";
      this.node.replaceChildren(host);
      const result = await embed(host, spec, {
        actions: { export: true, source: false, compiled: false, editor: false },
        renderer: "canvas",
      });
      if (generation !== this.generation) {
        result.view.finalize();
        return;
      }
      this.view = result.view;
      for (const [name, value] of this.signals) result.view.signal(name, value);
      if (this.signals.size) await result.view.runAsync();
      result.view.addEventListener("click", (_event, item) => {
        const datum = item?.datum;
        if (datum && typeof datum === "object") this._clicked.emit(datum as Record<string, unknown>);
      });
    } catch (err) {
      if (generation !== this.generation) return;
      const message = document.createElement("div");
      message.className = "dqm-chart-error";
      message.setAttribute("role", "alert");
      message.textContent = `Could not draw the chart: ${err instanceof Error ? err.message : String(err)}`;
      this.node.replaceChildren(message);
    }
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.generation++;
    this.clearView();
    super.dispose();
  }

  private clearView(): void {
    this.view?.finalize();
    this.view = null;
  }

  private signals = new Map<string, unknown>();
  private generation = 0;
  private view: VegaView | null = null;
  private _spec: ChartSpec | null = null;
  private _clicked = new Signal<this, Record<string, unknown>>(this);
}
