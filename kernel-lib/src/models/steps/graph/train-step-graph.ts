/**
 * The whole training step of a dense autoencoder as one TensorFlow graph: forward pass, the loss, the
 * written-out backward pass and Adam, with every parameter in one flat vector. It computes exactly
 * what KernelStep.trainBatch (../kernel-step.ts) computes (same gradient scaling, same Adam formula,
 * same tie rule for the top-k loss), so the two are tested against each other.
 *
 * Feeds: x [rows, D]; params, m, v [P] (kernel then bias of each layer, row-major, concatenated);
 * coef [3] = [gradient scale, lr / (1 - beta1^t), 1 / (1 - beta2^t)].
 * Fetches: loss_sum (the sum over rows of the per-sample loss, before the update), params_next,
 * m_next, v_next.
 */
import type { FastActivation } from "../dense-layers";
import { GraphBuilder } from "./graph-def";

export interface GraphLayer {
  inputDim: number;
  units: number;
  activation: FastActivation;
}

export interface TrainStepSpec {
  layers: readonly GraphLayer[];
  /** k of the top-k loss; null for MSE. */
  topK: number | null;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** Names of the feeds and fetches ("name:0" is how tfjs-node addresses them). */
export const STEP = {
  x: "x",
  params: "params",
  m: "m",
  v: "v",
  coef: "coef",
  lossSum: "loss_sum",
  paramsNext: "params_next",
  mNext: "m_next",
  vNext: "v_next",
} as const;

/** Offsets of each layer's kernel and bias in the flat parameter vector; and its length. */
export function parameterLayout(layers: readonly GraphLayer[]): {
  offsets: number[];
  sizes: number[];
  total: number;
} {
  const offsets: number[] = [];
  const sizes: number[] = [];
  let total = 0;
  for (const { inputDim, units } of layers)
    for (const size of [inputDim * units, units]) {
      offsets.push(total);
      sizes.push(size);
      total += size;
    }
  return { offsets, sizes, total };
}

export function trainStepGraph(spec: TrainStepSpec): GraphBuilder {
  const g = new GraphBuilder();
  const { layers, topK } = spec;
  const L = layers.length;
  const D = layers[0].inputDim;
  const { offsets, sizes, total } = parameterLayout(layers);
  const int32 = { type: "int32" as const };

  const x = g.placeholder(STEP.x, "float32", [-1, D]);
  const params = g.placeholder(STEP.params, "float32", [total]);
  const m = g.placeholder(STEP.m, "float32", [total]);
  const v = g.placeholder(STEP.v, "float32", [total]);
  const coef = g.placeholder(STEP.coef, "float32", [3]);
  const coefAt = (i: number) =>
    g.f("StridedSlice", [coef, g.ints([i]), g.ints([i + 1]), g.ints([1])], {
      Index: int32,
      begin_mask: { i: 0 },
      end_mask: { i: 0 },
      ellipsis_mask: { i: 0 },
      new_axis_mask: { i: 0 },
      shrink_axis_mask: { i: 1 },
    });
  const scale = coefAt(0);
  const lrCorr1 = coefAt(1);
  const corr2 = coefAt(2);

  // the weights, as views of the flat vector
  const slice = (k: number) =>
    g.f("Slice", [params, g.ints([offsets[k]]), g.ints([sizes[k]])], { Index: int32 });
  const w = layers.map(({ inputDim, units }, i) =>
    g.f("Reshape", [slice(2 * i), g.ints([inputDim, units])], { Tshape: int32 }),
  );
  const b = layers.map((_, i) => slice(2 * i + 1));

  // forward: TensorFlow's graph optimizer fuses MatMul + BiasAdd + activation into one kernel
  const acts = [x];
  const zs: string[] = [];
  for (let i = 0; i < L; i++) {
    const mm = g.f("MatMul", [acts[i], w[i]], { transpose_a: { b: false }, transpose_b: { b: false } });
    const z = g.f("BiasAdd", [mm, b[i]], { data_format: { s: "NHWC" } });
    zs.push(z);
    acts.push(activate(g, layers[i].activation, z));
  }
  const out = acts[L];

  // the loss, and its gradient at the output up to the factor `scale` (applied in Adam, as in
  // the kernel step: 2/(rows D) for MSE, 1/rows for top-k)
  const diff = g.f("Sub", [out, x]);
  const sq = g.f("Square", [diff]);
  const allAxes = g.ints([0, 1]);
  const sum = (t: string, axes: string, keep = false) =>
    g.f("Sum", [t, axes], { Tidx: int32, keep_dims: { b: keep } });
  let dOut: string;
  if (topK === null) {
    g.f("Mul", [sum(sq, allAxes), g.scalar(1 / D)], {}, STEP.lossSum);
    dOut = diff;
  } else {
    // the k largest squared errors per row; entries tied with the k-th share its weight (losses.ts)
    const k = Math.min(topK, D);
    const top = g.f("TopKV2", [sq, g.scalar(k, "int32")], { sorted: { b: true } });
    const kth = g.f("StridedSlice", [top, g.ints([0, k - 1]), g.ints([0, k]), g.ints([1, 1])], {
      Index: int32,
      begin_mask: { i: 1 },
      end_mask: { i: 1 },
      ellipsis_mask: { i: 0 },
      new_axis_mask: { i: 0 },
      shrink_axis_mask: { i: 0 },
    }); // [rows, 1]
    const toFloat = (t: string) =>
      g.add("Cast", [t], { SrcT: { type: "bool" }, DstT: { type: "float32" }, Truncate: { b: false } });
    const above = toFloat(g.f("Greater", [sq, kth]));
    const at = toFloat(g.f("Equal", [sq, kth], { incompatible_shape_error: { b: true } }));
    const rowAxis = g.ints([1]);
    const share = g.f("RealDiv", [
      g.f("Sub", [g.scalar(k), sum(above, rowAxis, true)]),
      sum(at, rowAxis, true),
    ]);
    const weight = g.f("AddV2", [above, g.f("Mul", [at, share])]);
    g.f("Mul", [sum(top, allAxes), g.scalar(1 / k)], {}, STEP.lossSum);
    dOut = g.f("Mul", [g.f("Mul", [diff, weight]), g.scalar(2 / k)]);
  }

  // backward, layer by layer
  const grads: string[] = new Array(2 * L);
  let dy = dOut;
  for (let i = L - 1; i >= 0; i--) {
    const dz = activationGrad(g, layers[i].activation, dy, acts[i + 1], zs[i]);
    const dw = g.f("MatMul", [acts[i], dz], { transpose_a: { b: true }, transpose_b: { b: false } });
    grads[2 * i] = g.f("Reshape", [dw, g.ints([-1])], { Tshape: int32 });
    grads[2 * i + 1] = g.f("BiasAddGrad", [dz], { data_format: { s: "NHWC" } });
    if (i > 0) dy = g.f("MatMul", [dz, w[i]], { transpose_a: { b: false }, transpose_b: { b: true } });
  }
  const grad = g.f("ConcatV2", [...grads, g.scalar(0, "int32")], { N: { i: grads.length }, Tidx: int32 });

  // Adam, as adamUpdate in kernel-step.ts: g' = g s; m' = b1 m + (1-b1) g'; v' = b2 v + (1-b2) g'^2;
  // p' = p - lr corr1 m' / (sqrt(v' corr2) + eps)
  const { beta1, beta2, epsilon } = spec;
  const gs = g.f("Mul", [grad, scale]);
  const mNext = g.f(
    "AddV2",
    [g.f("Mul", [m, g.scalar(beta1)]), g.f("Mul", [gs, g.scalar(1 - beta1)])],
    {},
    STEP.mNext,
  );
  const vNext = g.f(
    "AddV2",
    [g.f("Mul", [v, g.scalar(beta2)]), g.f("Mul", [g.f("Square", [gs]), g.scalar(1 - beta2)])],
    {},
    STEP.vNext,
  );
  const denom = g.f("AddV2", [g.f("Sqrt", [g.f("Mul", [vNext, corr2])]), g.scalar(epsilon)]);
  const delta = g.f("RealDiv", [g.f("Mul", [mNext, lrCorr1]), denom]);
  g.f("Sub", [params, delta], {}, STEP.paramsNext);
  return g;
}

function activate(g: GraphBuilder, act: FastActivation, z: string): string {
  switch (act) {
    case "linear":
      return z;
    case "relu":
      return g.f("Relu", [z]);
    case "relu6":
      return g.f("Relu6", [z]);
    case "sigmoid":
      return g.f("Sigmoid", [z]);
    case "tanh":
      return g.f("Tanh", [z]);
    case "elu":
      return g.f("Elu", [z]);
    case "selu":
      return g.f("Selu", [z]);
    case "softplus":
      return g.f("Softplus", [z]);
    case "swish":
      return g.f("Mul", [z, g.f("Sigmoid", [z])]);
  }
}

/** dL/dz from dL/dy, the layer's output y and its pre-activation z (TensorFlow's own gradient ops). */
function activationGrad(g: GraphBuilder, act: FastActivation, dy: string, y: string, z: string): string {
  switch (act) {
    case "linear":
      return dy;
    case "relu":
      return g.f("ReluGrad", [dy, y]); // y > 0 exactly where z > 0
    case "relu6":
      return g.f("Relu6Grad", [dy, y]); // 0 < y < 6 exactly where 0 < z < 6
    case "sigmoid":
      return g.f("SigmoidGrad", [y, dy]);
    case "tanh":
      return g.f("TanhGrad", [y, dy]);
    case "elu":
      return g.f("EluGrad", [dy, y]);
    case "selu":
      return g.f("SeluGrad", [dy, y]);
    case "softplus":
      return g.f("SoftplusGrad", [dy, z]);
    case "swish": {
      const s = g.f("Sigmoid", [z]);
      const one = g.scalar(1);
      return g.f("Mul", [dy, g.f("Mul", [s, g.f("AddV2", [one, g.f("Mul", [z, g.f("Sub", [one, s])])])])]);
    }
  }
}
