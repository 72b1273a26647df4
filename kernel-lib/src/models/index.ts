/** Models on TensorFlow.js layers. */
export {
  autoencoder,
  load,
  Autoencoder,
  type AutoencoderOptions,
  type FitOptions,
  type History,
  type Activation,
  type TrainerKind,
  type FastStep,
} from "./autoencoder";
export { mse, mseTopK, lossFunction, parseLoss, type LossSpec, type LossFn } from "./losses";
export { saveModel, loadModel, MODEL_FILE, WEIGHTS_FILE } from "./save-load";
export { seededRandom, permutation } from "./seeds";
export type { EarlyStopping } from "./training/contract";
export type { ModelInput } from "./tensors";
