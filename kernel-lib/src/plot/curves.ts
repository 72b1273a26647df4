/** Spec builders for curves: training loss, ROC, precision-recall and grey-zone saved effort. */
import type { RocCurve, PrecisionRecallCurve } from "../evaluate/curves";
import type { GreyZoneCurve } from "../evaluate/grey-zone";
import { num, spec, thin, type Json, type Row, type VegaLiteSpec } from "./spec";

export interface LossHistory {
  loss: ArrayLike<number>;
  valLoss?: ArrayLike<number> | null;
}

/** Loss (and validation loss) per epoch, log y. */
export function lossCurve(history: LossHistory, opts: { title?: string; logY?: boolean } = {}): VegaLiteSpec {
  const values: Row[] = [];
  for (let i = 0; i < history.loss.length; i++)
    values.push({ epoch: i + 1, loss: num(history.loss[i]), set: "train" });
  if (history.valLoss)
    for (let i = 0; i < history.valLoss.length; i++)
      values.push({ epoch: i + 1, loss: num(history.valLoss[i]), set: "validation" });
  return spec(opts.title ?? "Training loss", {
    data: { values },
    mark: { type: "line", point: history.loss.length <= 50 },
    encoding: {
      x: { field: "epoch", type: "quantitative", title: "epoch", axis: { tickMinStep: 1 } },
      y: {
        field: "loss",
        type: "quantitative",
        title: "loss",
        scale: { type: (opts.logY ?? true) ? "log" : "linear" },
      },
      color: { field: "set", type: "nominal", title: null },
    },
  });
}

type Named<T> = T | Record<string, T>;

function named<T extends object>(curves: Named<T>, key: keyof T): Array<[string, T]> {
  return key in curves ? [["model", curves as T]] : Object.entries(curves as Record<string, T>);
}

/** ROC curve(s): TPR against FPR (log x with `logX`, for the low-FPR region). */
export function roc(curves: Named<RocCurve>, opts: { title?: string; logX?: boolean } = {}): VegaLiteSpec {
  const values: Row[] = [];
  for (const [name, c] of named(curves, "fpr")) {
    const label = `${name} (AUC ${Number.isFinite(c.auc) ? c.auc.toFixed(4) : "–"})`;
    for (const i of thin(c.fpr, c.tpr))
      if (!opts.logX || c.fpr[i] > 0) values.push({ fpr: num(c.fpr[i]), tpr: num(c.tpr[i]), model: label });
  }
  const layers: Json[] = [
    {
      mark: { type: "line", interpolate: "linear" },
      encoding: {
        x: {
          field: "fpr",
          type: "quantitative",
          title: "false-positive rate (good flagged)",
          scale: { type: opts.logX ? "log" : "linear" },
        },
        y: {
          field: "tpr",
          type: "quantitative",
          title: "true-positive rate (bad flagged)",
          scale: { domain: [0, 1] },
        },
        color: { field: "model", type: "nominal", title: null },
      },
    },
  ];
  if (!opts.logX)
    layers.push({
      data: {
        values: [
          { fpr: 0, tpr: 0 },
          { fpr: 1, tpr: 1 },
        ],
      },
      mark: { type: "line", strokeDash: [4, 4], color: "gray" },
      encoding: { x: { field: "fpr", type: "quantitative" }, y: { field: "tpr", type: "quantitative" } },
    });
  return spec(opts.title ?? "ROC curve", { data: { values }, layer: layers });
}

/** Precision against recall, as steps (AP is the area under these steps). */
export function precisionRecall(
  curves: Named<PrecisionRecallCurve>,
  opts: { title?: string } = {},
): VegaLiteSpec {
  const values: Row[] = [];
  for (const [name, c] of named(curves, "precision")) {
    const label = `${name} (AP ${Number.isFinite(c.averagePrecision) ? c.averagePrecision.toFixed(4) : "–"})`;
    for (const i of thin(c.recall, c.precision))
      values.push({ recall: num(c.recall[i]), precision: num(c.precision[i]), model: label });
  }
  return spec(opts.title ?? "Precision-recall curve", {
    data: { values },
    mark: { type: "line", interpolate: "step-before" },
    encoding: {
      x: { field: "recall", type: "quantitative", title: "recall (bad flagged)", scale: { domain: [0, 1] } },
      y: { field: "precision", type: "quantitative", title: "precision", scale: { domain: [0, 1] } },
      color: { field: "model", type: "nominal", title: null },
    },
  });
}

/** Saved effort as a step function of the allowed pollution alpha, at the curve's beta. */
export function greyZone(
  curves: Named<GreyZoneCurve>,
  opts: { title?: string; maxAlpha?: number } = {},
): VegaLiteSpec {
  const values: Row[] = [];
  const all = named(curves, "alpha");
  let top = 0;
  for (const [, c] of all) top = Math.max(top, c.alpha[c.alpha.length - 1] ?? 0);
  const end = opts.maxAlpha ?? Math.min(1, Math.max(0.05, top * 1.25));
  let beta = NaN;
  for (const [name, c] of all) {
    beta = c.beta;
    for (const i of thin(c.alpha, c.savedEffort))
      if (c.alpha[i] <= end) values.push({ alpha: c.alpha[i], saved: c.savedEffort[i], model: name });
    const last = c.savedEffort[c.savedEffort.length - 1];
    if (last !== undefined) values.push({ alpha: end, saved: last, model: name });
  }
  return spec(opts.title ?? `Grey-zone saved effort (beta = ${beta})`, {
    data: { values },
    mark: { type: "line", interpolate: "step-after" },
    encoding: {
      x: {
        field: "alpha",
        type: "quantitative",
        title: "alpha: allowed bad fraction among auto-GOOD",
        scale: { domain: [0, end] },
      },
      y: {
        field: "saved",
        type: "quantitative",
        title: "saved effort (fraction auto-decided)",
        scale: { domain: [0, 1] },
      },
      color: { field: "model", type: "nominal", title: null },
    },
  });
}
