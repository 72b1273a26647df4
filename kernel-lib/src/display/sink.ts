/**
 * Where rich outputs go. In a tslab kernel: the kernel's display channel (full MIME bundles, updated
 * in place by display id); in the Deno Jupyter kernel: `Deno.jupyter.display`; elsewhere: the bundle's
 * text/plain printed to stdout. Tests and other frontends inject their own sink with `setSink`.
 */
import { randomBytes } from "node:crypto";

/** MIME type -> data; always has a text/plain fallback. */
export interface MimeBundle {
  "text/plain": string;
  [mime: string]: unknown;
}

/** An output shown once and replaceable in place (when the frontend can). */
export interface DisplayHandle {
  update(bundle: MimeBundle): void;
}

export interface DisplaySink {
  /** "tslab", "deno", "text", or a custom name. */
  readonly kind: string;
  /** False when the sink only prints text: callers then keep their output short. */
  readonly rich: boolean;
  /** Whether `DisplayHandle.update` replaces the output instead of adding another. */
  readonly updatable: boolean;
  show(bundle: MimeBundle): DisplayHandle;
}

type Write = (text: string) => void;

/** Prints text/plain; an update prints again (callers throttle). */
export function textSink(write: Write = (t) => void process.stdout.write(t)): DisplaySink {
  const print = (b: MimeBundle) =>
    write(b["text/plain"].endsWith("\n") ? b["text/plain"] : `${b["text/plain"]}\n`);
  return {
    kind: "text",
    rich: false,
    updatable: false,
    show(bundle) {
      print(bundle);
      return { update: print };
    },
  };
}

/** tslab's internal writer: (message content, update?) => void, set while a cell runs. */
type TslabWriter = (
  content: {
    data: Record<string, unknown>;
    metadata: Record<string, unknown>;
    transient: { display_id?: string };
  },
  update: boolean,
) => void;

interface TslabJupyterModule {
  lastWriteDisplayData?: TslabWriter | null;
}

interface TslabPublicModule {
  display: { raw(contentType: string, data: unknown): void };
  newDisplay(): { raw(contentType: string, data: unknown): void };
}

/** The kernel's own tslab jupyter module, found among the loaded modules (never loads one). */
function loadedTslabJupyter(): TslabJupyterModule | null {
  const cache =
    typeof require !== "undefined" ? (require.cache as Record<string, NodeModule | undefined>) : {};
  for (const [file, mod] of Object.entries(cache)) {
    if (!/[\\/]tslab[\\/]dist[\\/]jupyter\.js$/.test(file) || !mod) continue;
    const exp = mod.exports as TslabJupyterModule;
    if (typeof exp.lastWriteDisplayData === "function") return exp;
  }
  return null;
}

function tslabInternalSink(jupyter: TslabJupyterModule): DisplaySink {
  const write = (bundle: MimeBundle, id: string, update: boolean) => {
    const writer = jupyter.lastWriteDisplayData;
    if (!writer) throw new Error("tslab is not executing a cell");
    writer({ data: { ...bundle }, metadata: {}, transient: { display_id: id } }, update);
  };
  return {
    kind: "tslab",
    rich: true,
    updatable: true,
    show(bundle) {
      const id = randomBytes(8).toString("hex");
      write(bundle, id, false);
      return { update: (b) => write(b, id, true) };
    },
  };
}

/** The richest MIME type of a bundle (tslab's public API sends one type per output). */
export function preferredMime(bundle: MimeBundle): string {
  return Object.keys(bundle).find((k) => k !== "text/plain") ?? "text/plain";
}

/** tslab's public API, for a tslab whose internals differ; falls back to text outside a cell. */
function tslabPublicSink(tslab: TslabPublicModule, fallback: DisplaySink): DisplaySink {
  return {
    kind: "tslab",
    rich: true,
    updatable: true,
    show(bundle) {
      const d = tslab.newDisplay();
      try {
        const mime = preferredMime(bundle);
        d.raw(mime, bundle[mime]);
      } catch {
        return fallback.show(bundle);
      }
      return {
        update: (b) => {
          const mime = preferredMime(b);
          d.raw(mime, b[mime]);
        },
      };
    },
  };
}

interface DenoJupyter {
  display(obj: unknown, opts: { raw?: boolean; update?: boolean; display_id?: string }): Promise<void>;
}

function denoJupyter(): DenoJupyter | null {
  const deno = (globalThis as { Deno?: { jupyter?: DenoJupyter } }).Deno;
  return deno?.jupyter && typeof deno.jupyter.display === "function" ? deno.jupyter : null;
}

function denoSink(jupyter: DenoJupyter): DisplaySink {
  return {
    kind: "deno",
    rich: true,
    updatable: true,
    show(bundle) {
      const id = randomBytes(8).toString("hex");
      void jupyter.display(bundle, { raw: true, display_id: id }).catch(() => undefined);
      return {
        update: (b) =>
          void jupyter.display(b, { raw: true, display_id: id, update: true }).catch(() => undefined),
      };
    },
  };
}

function tryRequireTslab(): TslabPublicModule | null {
  try {
    // Optional: tslab is the kernel, not a dependency.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const m = require("tslab") as Partial<TslabPublicModule>;
    return m.display && typeof m.newDisplay === "function" ? (m as TslabPublicModule) : null;
  } catch {
    return null;
  }
}

/** The sink for the current process: Deno kernel, tslab kernel, or text. */
export function detectSink(): DisplaySink {
  const deno = denoJupyter();
  if (deno) return denoSink(deno);
  const jupyter = loadedTslabJupyter();
  if (jupyter) return tslabInternalSink(jupyter);
  const text = textSink();
  // Only worth trying when a tslab kernel could be running us.
  const tslab = process.argv.some((a) => /tslab/.test(a)) ? tryRequireTslab() : null;
  return tslab ? tslabPublicSink(tslab, text) : text;
}

let current: DisplaySink | null = null;

/** The sink in use (detected on first use). */
export function sink(): DisplaySink {
  return (current ??= detectSink());
}

/** Replaces the sink (tests, other frontends); `null` detects again. Returns the previous one. */
export function setSink(next: DisplaySink | null): DisplaySink | null {
  const previous = current;
  current = next;
  return previous;
}

/** A sink that records every bundle (for tests and for capturing outputs). */
export interface RecordingSink extends DisplaySink {
  readonly outputs: Array<{ id: number; bundle: MimeBundle; update: boolean }>;
}

export function recordingSink(opts: { rich?: boolean; updatable?: boolean } = {}): RecordingSink {
  const outputs: RecordingSink["outputs"] = [];
  let next = 0;
  return {
    kind: "recording",
    rich: opts.rich ?? true,
    updatable: opts.updatable ?? true,
    outputs,
    show(bundle) {
      const id = next++;
      outputs.push({ id, bundle, update: false });
      return { update: (b) => void outputs.push({ id, bundle: b, update: true }) };
    },
  };
}
