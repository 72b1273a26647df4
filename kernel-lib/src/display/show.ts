/**
 * Objects that know how to show themselves. A notebook shows them when they are a cell's last value:
 * tslab prints that value with util.inspect, so the inspect hook sends the rich bundle to the sink
 * (and leaves no text behind); the Deno kernel asks `Symbol.for("Jupyter.display")`. Plain Node prints
 * the text form.
 */
import { inspect } from "node:util";
import { sink, type DisplayHandle, type MimeBundle } from "./sink";

export interface Displayable {
  toMimeBundle(): MimeBundle;
}

export function isDisplayable(x: unknown): x is Displayable {
  return typeof x === "object" && x !== null && typeof (x as Displayable).toMimeBundle === "function";
}

/** Vega-Lite v5 MIME type (JupyterLab renders it natively). */
export const VEGA_LITE_MIME = "application/vnd.vegalite.v5+json";

/** Shows a displayable, a MIME bundle, or any value as text; returns the handle to update it. */
export function show(x: Displayable | MimeBundle | string): DisplayHandle {
  const bundle: MimeBundle =
    typeof x === "string" ? { "text/plain": x } : isDisplayable(x) ? x.toMimeBundle() : x;
  return sink().show(bundle);
}

/** Shows an HTML fragment with a text fallback. */
export function showHtml(html: string, text: string): DisplayHandle {
  return sink().show({ "text/html": html, "text/plain": text });
}

/** Base class: rich display on a notebook's last value, text elsewhere. */
export abstract class DisplayableObject implements Displayable {
  abstract toMimeBundle(): MimeBundle;

  /** Shows this object now (useful mid-cell). */
  show(): void {
    show(this);
  }

  toString(): string {
    return this.toMimeBundle()["text/plain"];
  }

  [inspect.custom](depth: number, options: { depth?: number | null }): string {
    const bundle = this.toMimeBundle();
    const top = depth >= (options.depth ?? 2);
    const s = sink();
    if (!top || !s.rich) return bundle["text/plain"];
    s.show(bundle);
    return "";
  }

  [Symbol.for("Jupyter.display")](): MimeBundle {
    return this.toMimeBundle();
  }
}
