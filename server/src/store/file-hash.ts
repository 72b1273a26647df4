import crypto from "node:crypto";
import fs from "node:fs";

/** sha256 of a file, streamed (ingest identity: the same file ingested twice is a no-op). */
export async function sha256File(file: string): Promise<string> {
  const hash = crypto.createHash("sha256");
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
