/**
 * Which training step a fit of the fast trainer runs, and whether the autoencoder's step from its
 * last fit can go on: the graph step when asked for, or by default when the native backend runs
 * (falling back to the kernel step, with a warning, if TensorFlow refuses the graph); else the kernel
 * step.
 */
import * as tf from "@tensorflow/tfjs";
import type { StepKind, StepOptions, TrainStep } from "../training/contract";
import { GraphStep, graphStepUnavailable } from "./graph-step";
import { KernelStep } from "./kernel-step";

/**
 * The step for this fit: `previous` (the step of the model's last fit) when it is of the kind
 * wanted and made for the active backend, else a new one that goes on from `previous`'s Adam state,
 * with `previous` disposed. The caller owns the step returned and disposes it.
 */
export function chooseStep(
  model: tf.LayersModel,
  o: StepOptions,
  wanted: StepKind | undefined,
  previous: TrainStep | null,
): TrainStep {
  const kind: StepKind =
    wanted === "kernels" || (wanted === undefined && graphStepUnavailable()) ? "kernels" : "graph";
  if (previous && previous.kind === kind && previous.backend === tf.getBackend()) return previous;
  let step: TrainStep;
  try {
    step =
      kind === "graph" ? new GraphStep(model, o, previous?.adam) : new KernelStep(model, o, previous?.adam);
  } catch (err) {
    if (kind === "kernels" || wanted === "graph") throw err;
    console.warn(`dqm-playground: the graph training step failed, using the kernel step: ${String(err)}`);
    return chooseStep(model, o, "kernels", previous);
  }
  previous?.dispose();
  return step;
}
