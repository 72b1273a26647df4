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

/**
 * Writes the scores file and returns its sha256. Its temporary folder stays until `release()`, to be
 * called once the row naming the file is committed (or refused): while it exists, other processes
 * sharing the block folder count a write in flight and do not delete the new file as an orphan.
 */
export async function storeScores(
  blocksDir: string,
  rows: { runs: Int32Array; lumisections: Int32Array; scores: Float64Array },
): Promise<{ sha256: string; release(): Promise<void> }> {
  const tmp = await makeIngestTmpDir(blocksDir);
  const release = () => fsp.rm(tmp, { recursive: true, force: true });
  const writer = new BlockFileWriter(tmp, "scores.arrow", scoresSchema);
  try {
    writer.writeBatch(
      batchFromColumns(scoresSchema, [
        int32Data(rows.runs),
        int32Data(rows.lumisections),
        makeData({ type: new Float64(), length: rows.scores.length, data: rows.scores }),
      ]),
    );
    return { sha256: await writer.finish(blocksDir), release };
  } catch (err) {
    await release();
    throw err;
  } finally {
    writer.close();
  }
}
