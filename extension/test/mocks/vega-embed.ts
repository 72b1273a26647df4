/** vega-embed stand-in for jsdom: records what would be drawn (`embed.calls`) and fakes the Vega view. */

export interface FakeView {
  listeners: Record<string, Array<(event: unknown, item: { datum?: unknown } | null) => void>>;
  signals: Record<string, unknown>;
  finalized: boolean;
  addEventListener(type: string, handler: (event: unknown, item: { datum?: unknown } | null) => void): void;
  signal(name: string, value: unknown): FakeView;
  runAsync(): Promise<FakeView>;
  finalize(): void;
  /** Simulates a click on a mark holding `datum`. */
  click(datum: unknown): void;
}

export interface EmbedCall {
  element: HTMLElement;
  spec: Record<string, unknown>;
  view: FakeView;
}

function makeView(): FakeView {
  const view: FakeView = {
    listeners: {},
    signals: {},
    finalized: false,
    addEventListener(type, handler) {
      (view.listeners[type] ??= []).push(handler);
    },
    signal(name, value) {
      view.signals[name] = value;
      return view;
    },
    runAsync() {
      return Promise.resolve(view);
    },
    finalize() {
      view.finalized = true;
    },
    click(datum) {
      for (const h of view.listeners.click ?? []) h({}, { datum });
    },
  };
  return view;
}

const calls: EmbedCall[] = [];

export default function embed(
  element: HTMLElement,
  spec: Record<string, unknown>,
): Promise<{ view: FakeView; spec: Record<string, unknown> }> {
  const view = makeView();
  calls.push({ element, spec, view });
  element.textContent = "[chart]";
  return Promise.resolve({ view, spec });
}

embed.calls = calls;
