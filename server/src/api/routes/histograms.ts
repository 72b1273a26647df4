/**
 * Per-lumisection histograms of one monitor element, as an Arrow IPC stream (bulk) or paged JSON.
 * Like DIALS, `data` leaves out the under/overflow bins unless `include_flow=true`.
 */
import type { FastifyReply } from "fastify";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FixedSizeList, Float32, RecordBatch } from "apache-arrow";
import {
  ARROW_STREAM,
  binningWithFlow,
  encodeHistogramMetadata,
  DatasetParamsSchema,
  HistogramRowSchema,
  HistogramsQuerySchema,
  PageSchema,
  type HistogramRow,
  type HistogramsQuery,
  type Page,
} from "@dqm-playground/api-types";
import type { Store } from "../../store/store";
import { histogramBatches, histogramStream } from "../../store/histogram-read";
import { AUTH_ERRORS, errorResponses, jsonOrArrow } from "../schemas";
import { InputError } from "../../errors";
import { decodeCursor, encodeCursor } from "../../store/paging";
import type { Binning } from "../../histograms/record";
import type { MonitorElement } from "../../store/datasets";

/** Binning in the response: interior bins, or the full range with one bin more on each side. */
function responseBinning(b: Binning, includeFlow: boolean): Binning {
  return includeFlow ? binningWithFlow(b) : b;
}

function arrowMetadata(dataset: string, me: MonitorElement, includeFlow: boolean): Map<string, string> {
  return encodeHistogramMetadata({ dataset, me: me.name, kind: me.kind, binning: me.binning, includeFlow });
}

function wantsArrow(accept: string | undefined, format: string | undefined): boolean {
  if (format) return format === "arrow";
  return (accept ?? "").includes(ARROW_STREAM);
}

export const histogramRoutes: FastifyPluginAsyncTypebox<{ store: Store }> = async (app, opts) => {
  const { store } = opts;
  app.get(
    "/datasets/:dataset/histograms",
    {
      schema: {
        summary: "Per-lumisection histograms of one monitor element",
        description: `Arrow IPC stream when the Accept header asks for ${ARROW_STREAM} (or format=arrow): columns run, lumisection, entries, data (FixedSizeList<Float32>), binning in the schema metadata. Otherwise paged JSON rows.`,
        tags: ["histograms"],
        params: DatasetParamsSchema,
        querystring: HistogramsQuerySchema,
        response: {
          200: jsonOrArrow(PageSchema(HistogramRowSchema)),
          ...errorResponses(...AUTH_ERRORS, 400, 404),
        },
      },
    },
    async (req, reply) => {
      const { dataset } = req.params;
      const q = req.query;
      if (q.run !== undefined && (q.run_min !== undefined || q.run_max !== undefined))
        throw new InputError("give either run or run_min/run_max, not both", { column: "run" });
      if (q.run_min !== undefined && q.run_max !== undefined && q.run_min > q.run_max)
        throw new InputError(`run_min ${q.run_min} is greater than run_max ${q.run_max}`, {
          column: "run_min",
        });
      const runs = q.run !== undefined ? { min: q.run, max: q.run } : { min: q.run_min, max: q.run_max };
      const { query, monitorElement } = await store.histogramQuery(dataset, q.me, {
        runs,
        minEntries: q.min_entries,
        label: q.label,
        includeFlow: q.include_flow,
      });
      if (wantsArrow(req.headers.accept, q.format)) {
        return sendArrow(
          reply,
          histogramStream(query, arrowMetadata(dataset, monitorElement, q.include_flow)),
        );
      }
      return jsonPage(histogramBatches(query), monitorElement, q);
    },
  );
};

function sendArrow(reply: FastifyReply, stream: NodeJS.ReadableStream) {
  // Bypasses the JSON serializer: the body is the Arrow stream itself.
  return reply.type(ARROW_STREAM).send(stream);
}

async function jsonPage(
  batches: AsyncIterable<RecordBatch>,
  me: MonitorElement,
  q: HistogramsQuery,
): Promise<Page<HistogramRow>> {
  const offset = decodeCursor(q.cursor);
  const b = responseBinning(me.binning, q.include_flow);
  const items: HistogramRow[] = [];
  let index = 0;
  for await (const batch of batches) {
    const runs = batch.getChild("run")!.toArray() as Int32Array;
    const lss = batch.getChild("lumisection")!.toArray() as Int32Array;
    const entries = batch.getChild("entries")!.toArray() as Float64Array;
    const values = (
      batch.getChild("data")!.data[0] as unknown as { children: Array<{ values: Float32Array }> }
    ).children[0].values;
    const width = (batch.schema.fields[3].type as FixedSizeList<Float32>).listSize;
    for (let i = 0; i < batch.numRows; i++, index++) {
      if (index < offset || items.length >= q.limit) continue;
      const flat = Array.from(values.subarray(i * width, (i + 1) * width));
      const data =
        b.dim === 1
          ? flat
          : Array.from({ length: b.ybins }, (_, y) => flat.slice(y * b.xbins, (y + 1) * b.xbins));
      items.push({
        run: runs[i],
        lumisection: lss[i],
        me: me.name,
        entries: entries[i],
        x_min: b.xmin,
        x_max: b.xmax,
        x_bin: b.xbins,
        ...(b.dim === 2 ? { y_min: b.ymin, y_max: b.ymax, y_bin: b.ybins } : {}),
        data,
      });
    }
  }
  const end = offset + items.length;
  return { items, total: index, next: end < index ? encodeCursor(end) : null };
}
