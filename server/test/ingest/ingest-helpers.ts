/** Shared bits of the ingest reader tests: temporary input files and error capture. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { InputError } from "../../src/errors";

export const FIXTURES = path.join(__dirname, "../fixtures/ingest");
export const CMS_DATA = path.join(__dirname, "../../data/cms");

/** A fresh temporary folder, removed after the tests of the calling file. */
export function tempDir(): () => string {
  let dir = "";
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "dqm-ingest-"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return () => dir;
}

export function writeFile(dir: string, name: string, content: string | Uint8Array): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** The InputError a promise rejects with (fails the test if it resolves or throws something else). */
export async function inputError(p: Promise<unknown>): Promise<InputError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error("expected an InputError, but nothing was thrown");
}
