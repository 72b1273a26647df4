/** A timed HTTP GET: time to the response headers, to the first body byte and to the last. */
import http from "node:http";
import { tableFromIPC } from "apache-arrow";
import { ARROW_STREAM } from "@dqm-playground/api-types/wire";

export interface TimedResponse {
  status: number;
  headersMs: number;
  /** Milliseconds from sending the request to the first body byte. */
  firstByteMs: number;
  totalMs: number;
  bytes: number;
  body: Buffer;
}

export function timedGet(url: string, headers: Record<string, string>): Promise<TimedResponse> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    let headersMs = NaN;
    let firstByteMs = NaN;
    const req = http.get(url, { headers, agent: false }, (res) => {
      headersMs = performance.now() - start;
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on("data", (chunk: Buffer) => {
        if (bytes === 0) firstByteMs = performance.now() - start;
        chunks.push(chunk);
        bytes += chunk.length;
      });
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          headersMs,
          firstByteMs,
          totalMs: performance.now() - start,
          bytes,
          body: Buffer.concat(chunks, bytes),
        }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
  });
}

export interface ArrowFetch {
  firstByteMs: number;
  totalMs: number;
  /** tableFromIPC of the received bytes (a client gets its columns). */
  decodeMs: number;
  bytes: number;
  rows: number;
  bins: number;
}

/** Fetches one monitor element's histograms as an Arrow stream and decodes them into a table. */
export async function fetchArrow(
  baseUrl: string,
  token: string,
  dataset: string,
  me: string,
): Promise<{ fetch: ArrowFetch; body: Buffer }> {
  const url = `${baseUrl}/api/v1/datasets/${encodeURIComponent(dataset)}/histograms?me=${encodeURIComponent(me)}`;
  const r = await timedGet(url, { accept: ARROW_STREAM, authorization: `Bearer ${token}` });
  if (r.status !== 200)
    throw new Error(`GET ${url} answered ${r.status}: ${r.body.toString("utf8", 0, Math.min(r.bytes, 500))}`);
  const start = performance.now();
  const table = tableFromIPC(r.body);
  const decodeMs = performance.now() - start;
  const data = table.getChild("data");
  const bins = (data?.type as { listSize?: number } | undefined)?.listSize ?? 0;
  return {
    fetch: {
      firstByteMs: r.firstByteMs,
      totalMs: r.totalMs,
      decodeMs,
      bytes: r.bytes,
      rows: table.numRows,
      bins,
    },
    body: r.body,
  };
}
