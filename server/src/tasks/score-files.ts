/** Submitted scores kept as content-addressed Arrow files (run, lumisection, score) beside the blocks. */
import fsp from "node:fs/promises";
import { Field, Float64, Int32, makeData, Schema } from "apache-arrow";
import { BlockFileWriter, makeIngestTmpDir } from "../store/block-files";
import { batchFromColumns, int32Data } from "../histograms/arrow-layout";

export const scoresSchema = new Schema([
  new Field("run", new Int32(), false),
  new Field("lumisection", new Int32(), false),
  new Field("score", new Float64(), false),
]);

export async function storeScores(
  blocksDir: string,
  rows: { runs: Int32Array; lumisections: Int32Array; scores: Float64Array },
): Promise<string> {
  const tmp = await makeIngestTmpDir(blocksDir);
  const writer = new BlockFileWriter(tmp, "scores.arrow", scoresSchema);
  try {
    writer.writeBatch(
      batchFromColumns(scoresSchema, [
        int32Data(rows.runs),
        int32Data(rows.lumisections),
        makeData({ type: new Float64(), length: rows.scores.length, data: rows.scores }),
      ]),
    );
    return await writer.finish(blocksDir);
  } finally {
    writer.close();
    await fsp.rm(tmp, { recursive: true, force: true });
  }
}
