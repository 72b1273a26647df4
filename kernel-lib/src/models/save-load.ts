/**
 * Saving a trained tfjs layers model to a folder as `model.json` + `weights.bin` (the layout of
 * tfjs's own `file://` handler, which needs tfjs-node) with node's fs, and loading it back.
 */
import fs from "node:fs";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";

export const MODEL_FILE = "model.json";
export const WEIGHTS_FILE = "weights.bin";

interface ModelJson {
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  modelTopology: object;
  weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
  /** Whatever the caller stores next to the model (options, scaler, history). */
  userDefinedMetadata?: Record<string, unknown>;
}

function joinWeights(data: tf.io.WeightData | undefined): Uint8Array {
  if (!data) return new Uint8Array(0);
  if (Array.isArray(data)) return new Uint8Array(tf.io.concatenateArrayBuffers(data));
  return new Uint8Array(data);
}

function writeAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

/** Writes the model and `metadata` to `dir` (created if missing). */
export async function saveModel(
  model: tf.LayersModel,
  dir: string,
  metadata: Record<string, unknown> = {},
): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = joinWeights(artifacts.weightData);
      const json: ModelJson = {
        format: artifacts.format ?? "layers-model",
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        modelTopology: artifacts.modelTopology as object,
        weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: artifacts.weightSpecs ?? [] }],
        userDefinedMetadata: metadata,
      };
      writeAtomic(path.join(dir, WEIGHTS_FILE), weights);
      writeAtomic(path.join(dir, MODEL_FILE), JSON.stringify(json));
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: "JSON",
          weightDataBytes: weights.byteLength,
        },
      };
    }),
  );
}

/** Reads a folder written by saveModel: the (uncompiled) model and its metadata. */
export async function loadModel(
  dir: string,
): Promise<{ model: tf.LayersModel; metadata: Record<string, unknown> }> {
  const file = path.join(dir, MODEL_FILE);
  if (!fs.existsSync(file)) throw new Error(`no ${MODEL_FILE} in ${dir}: not a saved model folder`);
  const json = JSON.parse(fs.readFileSync(file, "utf8")) as ModelJson;
  const weightSpecs = json.weightsManifest.flatMap((g) => g.weights);
  const buffers = json.weightsManifest.flatMap((g) => g.paths).map((p) => fs.readFileSync(path.join(dir, p)));
  const bytes = Buffer.concat(buffers);
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData, format: json.format }),
  );
  return { model, metadata: json.userDefinedMetadata ?? {} };
}
