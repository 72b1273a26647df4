/**
 * The benchmark's training data: `rows x cols` numbers in [0, 1) from the library's seeded generator
 * (mulberry32), written once as raw little-endian float32 so that every trainer, in Node and in
 * Python, reads the very same samples.
 */
import fs from "node:fs";
import path from "node:path";
import { models } from "@dqm-playground/kernel";

export interface DataFile {
  path: string;
  rows: number;
  cols: number;
  seed: number;
}

export function generate(rows: number, cols: number, seed: number): Float32Array {
  const random = models.seededRandom(seed);
  const values = new Float32Array(rows * cols);
  for (let i = 0; i < values.length; i++) values[i] = random();
  return values;
}

/** Writes (once per size and seed) the data set to `dir`. */
export function writeData(dir: string, rows: number, cols: number, seed: number): DataFile {
  const file = path.join(dir, `random-${rows}x${cols}-seed${seed}.f32`);
  if (!fs.existsSync(file) || fs.statSync(file).size !== rows * cols * 4) {
    const values = generate(rows, cols, seed);
    fs.writeFileSync(file, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  }
  return { path: file, rows, cols, seed };
}

/** Reads a data file written by `writeData` (the host is little-endian, as x86 and arm64 are). */
export function readData(f: DataFile): Float32Array {
  const bytes = fs.readFileSync(f.path);
  const values = new Float32Array(f.rows * f.cols);
  new Uint8Array(values.buffer).set(bytes.subarray(0, values.byteLength));
  return values;
}
