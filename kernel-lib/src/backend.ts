/**
 * Chooses the TensorFlow.js backend once: native TensorFlow (`@tensorflow/tfjs-node-gpu`, then
 * `@tensorflow/tfjs-node`) when installed and loadable, else WebAssembly
 * (`@tensorflow/tfjs-backend-wasm`, its .wasm files found in its dist folder), else plain JavaScript
 * ("cpu"). `backend()` says which one runs and why the others do not. `DQM_PLAYGROUND_BACKEND`
 * (tensorflow, wasm or cpu) forces one. Loaders and activation are injectable for tests.
 */
import fs from "node:fs";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";

export type BackendKind = "tensorflow-gpu" | "tensorflow" | "wasm" | "cpu";

export interface BackendCandidate {
  kind: BackendKind;
  /** npm package providing it ("" for the built-in cpu backend). */
  package: string;
  /** tfjs backend name it registers. */
  backend: string;
  /** Loads the package (throws when it is missing or broken). */
  load(): void | Promise<void>;
}

export interface BackendChoice {
  kind: BackendKind;
  /** tfjs backend name (tf.getBackend()). */
  backend: string;
  package: string;
  /** Why this one. */
  reason: string;
  /** The candidates tried before it, or skipped, with why they were not used. */
  notUsed: Array<{ kind: BackendKind; package: string; reason: string }>;
  /** All of the above as text. */
  summary: string;
}

export interface SelectOptions {
  candidates?: BackendCandidate[];
  /** Makes a registered backend the active one; false when it fails to initialise. */
  activate?: (backend: string) => Promise<boolean>;
  /** Whether a backend is registered with this tfjs (a package may bring its own tfjs-core copy). */
  isRegistered?: (backend: string) => boolean;
  /** Use only this kind (default: $DQM_PLAYGROUND_BACKEND). */
  force?: BackendKind | string;
}

const NATIVE_GPU = "@tensorflow/tfjs-node-gpu";
const NATIVE = "@tensorflow/tfjs-node";
const WASM = "@tensorflow/tfjs-backend-wasm";

function requireOptional(id: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(id);
}

/**
 * Where `npm run setup:tensorflow` puts the native packages: outside the project's node_modules, so
 * that `npm ci` neither needs nor removes them (docs/tensorflow.md). `$DQM_PLAYGROUND_TENSORFLOW_DIR`,
 * else the first `.tensorflow` folder walking up from this file.
 */
export function nativePrefixes(env: NodeJS.ProcessEnv = process.env, from: string = __dirname): string[] {
  if (env.DQM_PLAYGROUND_TENSORFLOW_DIR) return [path.resolve(env.DQM_PLAYGROUND_TENSORFLOW_DIR)];
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, ".tensorflow");
    if (fs.existsSync(path.join(candidate, "node_modules"))) return [candidate];
    if (path.dirname(dir) === dir) return [];
  }
}

/** The folder of the native package that loaded (null before one did). */
let nativeDir: string | null = null;

/** A native package: installed normally, or else built by `npm run setup:tensorflow`. */
function requireNative(pkg: string): unknown {
  process.env.TF_CPP_MIN_LOG_LEVEL ??= "2"; // TensorFlow's C++ start-up log lines otherwise flood the cell
  try {
    const mod = requireOptional(pkg);
    nativeDir = path.dirname(require.resolve(`${pkg}/package.json`));
    return mod;
  } catch (err) {
    if (describeLoadError(pkg, err) !== "not installed") throw err;
    for (const prefix of nativePrefixes()) {
      const dir = path.join(prefix, "node_modules", pkg);
      if (fs.existsSync(path.join(dir, "package.json"))) {
        const mod = requireOptional(dir);
        nativeDir = dir;
        return mod;
      }
    }
    throw err;
  }
}

/**
 * A module inside the native package that loaded (`@tensorflow/tfjs-node(-gpu)`), such as its
 * SavedModel protobuf messages; throws when no native package has been loaded.
 */
export function requireFromNativePackage(file: string): unknown {
  if (!nativeDir) throw new Error("the native TensorFlow backend (@tensorflow/tfjs-node) is not loaded");
  return requireOptional(path.join(nativeDir, file));
}

/** The wasm package's dist folder (where its .wasm files are), as a path with a trailing separator. */
export function wasmDistPath(): string {
  return path.join(path.dirname(require.resolve(`${WASM}/package.json`)), "dist") + path.sep;
}

export function defaultCandidates(): BackendCandidate[] {
  return [
    {
      kind: "tensorflow-gpu",
      package: NATIVE_GPU,
      backend: "tensorflow",
      load: () => void requireNative(NATIVE_GPU),
    },
    { kind: "tensorflow", package: NATIVE, backend: "tensorflow", load: () => void requireNative(NATIVE) },
    {
      kind: "wasm",
      package: WASM,
      backend: "wasm",
      load: () => {
        const wasm = requireOptional(WASM) as { setWasmPaths(prefix: string): void };
        wasm.setWasmPaths(wasmDistPath());
      },
    },
    { kind: "cpu", package: "", backend: "cpu", load: () => undefined },
  ];
}

/** "not installed" for a missing package, else what failed. */
export function describeLoadError(pkg: string, err: unknown): string {
  const e = err as { code?: string; message?: string };
  const message = e?.message ?? String(err);
  if (e?.code === "MODULE_NOT_FOUND" && message.includes(`'${pkg}'`)) return "not installed";
  return `installed but failed to load: ${message.split("\n")[0]}`;
}

/** Tries the candidates in order and activates the first that loads and initialises. */
export async function selectBackend(opts: SelectOptions = {}): Promise<BackendChoice> {
  const candidates = opts.candidates ?? defaultCandidates();
  const activate = opts.activate ?? ((b: string) => tf.setBackend(b));
  const isRegistered = opts.isRegistered ?? ((b: string) => tf.findBackendFactory(b) != null);
  const force = opts.force ?? process.env.DQM_PLAYGROUND_BACKEND ?? "";
  const notUsed: BackendChoice["notUsed"] = [];
  if (
    force &&
    !candidates.some((c) => c.kind === force || (force === "tensorflow" && c.kind === "tensorflow-gpu"))
  )
    throw new Error(`unknown backend '${force}' in DQM_PLAYGROUND_BACKEND: use tensorflow, wasm or cpu`);
  for (const c of candidates) {
    const forced = force === c.kind || (force === "tensorflow" && c.kind === "tensorflow-gpu");
    if (force && !forced) {
      notUsed.push({ kind: c.kind, package: c.package, reason: `DQM_PLAYGROUND_BACKEND=${force}` });
      continue;
    }
    try {
      await c.load();
    } catch (err) {
      notUsed.push({ kind: c.kind, package: c.package, reason: describeLoadError(c.package, err) });
      continue;
    }
    if (!isRegistered(c.backend)) {
      notUsed.push({
        kind: c.kind,
        package: c.package,
        reason: `loaded, but backend '${c.backend}' is not registered with this @tensorflow/tfjs (another tfjs-core version?)`,
      });
      continue;
    }
    let ok = false;
    let why = "";
    try {
      ok = await activate(c.backend);
    } catch (err) {
      why = `: ${err instanceof Error ? err.message : String(err)}`;
    }
    if (!ok) {
      notUsed.push({ kind: c.kind, package: c.package, reason: `failed to initialise${why}` });
      continue;
    }
    const reason = forced
      ? `forced by DQM_PLAYGROUND_BACKEND=${force}`
      : notUsed.length === 0
        ? "first choice: loaded and initialised"
        : "the faster backends are unavailable";
    const choice = { kind: c.kind, backend: c.backend, package: c.package, reason, notUsed, summary: "" };
    choice.summary = describeBackend(choice);
    return choice;
  }
  throw new Error(
    `no TensorFlow.js backend could be initialised: ${notUsed.map((n) => `${n.kind} (${n.reason})`).join("; ")}`,
  );
}

let chosen: Promise<BackendChoice> | null = null;

/** Chooses the backend on first call (later calls return the same choice) and reports it. */
export function backend(opts?: SelectOptions): Promise<BackendChoice> {
  if (opts) chosen = selectBackend(opts);
  chosen ??= selectBackend();
  const p = chosen;
  p.catch(() => {
    if (chosen === p) chosen = null;
  });
  return p;
}

/** Text for notebooks: which backend runs and why the others do not. */
export function describeBackend(c: Omit<BackendChoice, "summary">): string {
  const lines = [
    `TensorFlow.js backend: ${c.backend} (${c.kind}${c.package ? `, ${c.package}` : ""}): ${c.reason}`,
  ];
  for (const n of c.notUsed)
    lines.push(`  not used: ${n.kind}${n.package ? ` (${n.package})` : ""}: ${n.reason}`);
  return lines.join("\n");
}
