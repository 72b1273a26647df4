/**
 * A TensorFlow session holding one graph, through tfjs-node's SavedModel support (the only way its
 * binding runs a graph): the graph is written as a SavedModel into a temporary folder, loaded, and
 * the folder removed. A new session spends 20-70 ms optimising its graph on the first run, so the
 * graph step that makes it (../graph-step.ts) lives across fits and releases it when disposed.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { requireFromNativePackage } from "../../../backend";
import type { GraphBuilder } from "./graph-def";

/** What tfjs-node's backend offers for SavedModels (not in tfjs-core's KernelBackend type). */
interface SessionBackend {
  loadSavedModelMetaGraph(path: string, tags: string): number;
  runSavedModel(
    id: number,
    inputs: tf.Tensor[],
    inputInfos: Array<{ name: string; tfDtype: string }>,
    outputNames: string[],
  ): tf.Tensor[];
  deleteSavedModel(id: number): void;
}

function sessionBackend(): SessionBackend | null {
  const b = tf.backend() as unknown as Partial<SessionBackend>;
  return tf.getBackend() === "tensorflow" &&
    typeof b.loadSavedModelMetaGraph === "function" &&
    typeof b.runSavedModel === "function" &&
    typeof b.deleteSavedModel === "function"
    ? (b as SessionBackend)
    : null;
}

/** null when graphs can run on the active backend, else why not. */
export function sessionsUnavailable(): string | null {
  if (tf.getBackend() !== "tensorflow")
    return `it needs the native TensorFlow backend (the active backend is '${tf.getBackend()}')`;
  if (!sessionBackend()) return "the native backend has no SavedModel support";
  return null;
}

export class StepSession {
  /** Nodes in the graph (before TensorFlow's optimizer fuses them). */
  readonly nodes: number;
  private readonly backend: SessionBackend;
  private readonly id: number;
  private released = false;

  /** Loads `graph` into a new session. */
  constructor(graph: GraphBuilder) {
    const why = sessionsUnavailable();
    if (why) throw new Error(`the graph training step is unavailable: ${why}`);
    this.backend = sessionBackend() as SessionBackend;
    this.nodes = graph.nodes.length;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dqm-train-step-"));
    try {
      graph.writeSavedModel(requireFromNativePackage("dist/proto/api_pb.js") as Record<string, unknown>, dir);
      this.id = this.backend.loadSavedModelMetaGraph(dir, "serve");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  get disposed(): boolean {
    return this.released;
  }

  /** Feeds float32 tensors to placeholders by name and fetches tensors by node name. */
  run(inputs: tf.Tensor[], feeds: readonly string[], fetches: readonly string[]): tf.Tensor[] {
    if (this.released) throw new Error("the TensorFlow session of the training step has been released");
    return this.backend.runSavedModel(
      this.id,
      inputs,
      feeds.map((name) => ({ name: `${name}:0`, tfDtype: "DT_FLOAT" })),
      fetches.map((name) => `${name}:0`),
    );
  }

  dispose(): void {
    if (this.released) return;
    this.released = true;
    this.backend.deleteSavedModel(this.id);
  }
}
