/** Every chart the library builds is a valid Vega-Lite v5 spec (checked against vega-lite's JSON schema). */
import Ajv from "ajv";
import { display, evaluate, FeatureMatrix, plot, type FeatureBlock } from "../src/index";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const schema = require("vega-lite/build/vega-lite-schema.json") as object;

test("all spec builders produce schema-valid Vega-Lite v5", () => {
  const ajv = new Ajv({ strict: false, allErrors: false, logger: false });
  const validate = ajv.compile(schema);
  const sink = display.recordingSink();
  display.setSink(sink);
  try {
    const scores = Array.from({ length: 200 }, (_, i) => Math.abs(Math.sin(i)) * (i % 7 === 0 ? 3 : 1));
    const labels = scores.map((_, i) => (i % 7 === 0 ? 1 : 0));
    const binning = { dim: 1 as const, xmin: 0, xmax: 3, xbins: 3, ymin: 0, ymax: 1, ybins: 1 };
    const block: FeatureBlock = { me: "m", offset: 0, width: 3, binning, flow: false };
    const x = new FeatureMatrix(Float32Array.from([1, 2, 3, 3, 2, 1, 0, 1, 0]), 3, 3, [block], {
      runs: Int32Array.from([1, 1, 2]),
      lumisections: Int32Array.from([1, 2, 1]),
      tableRows: null,
    });
    evaluate.report(scores, labels);
    plot.loss({ loss: [1, 0.5], valLoss: [1.2, 0.6] });
    plot.scores(scores, null);
    plot.roc(scores, labels, { logX: true });
    plot.histogram([1, 2, 3], [2, 2, 2], { binning });
    plot.worst(evaluate.worst([1, 2, 3], x, { n: 2 }), evaluate.reference(x));
    plot.heatmap(x, 1);
    const specs = sink.outputs
      .map((o) => o.bundle["application/vnd.vegalite.v5+json"])
      .filter((s): s is plot.VegaLiteSpec => s !== undefined);
    expect(specs).toHaveLength(10);
    for (const s of specs) {
      const title = String(s.title);
      if (!validate(s as object))
        throw new Error(`${title}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
    }
  } finally {
    display.setSink(null);
  }
});
