/**
 * Which task split a table came from and its sha256 (the `x-split-sha256` header), remembered for
 * the tables this library loaded, so a submission names the split its scores were made on.
 */
import type { Table } from "apache-arrow";

export interface SplitInfo {
  task: string;
  split: "train" | "test";
  sha256: string;
  url: string;
}

const infos = new WeakMap<Table, SplitInfo>();
const latestTest = new Map<string, Table>();

export function rememberSplit(table: Table, info: SplitInfo): void {
  infos.set(table, info);
  if (info.split === "test") latestTest.set(`${info.url} ${info.task}`, table);
}

/** The split a table was loaded as, or null for tables from elsewhere. */
export function splitInfo(table: Table): SplitInfo | null {
  return infos.get(table) ?? null;
}

/** The test split of a task loaded last from this service, if any. */
export function latestTestSplit(url: string, task: string): Table | null {
  return latestTest.get(`${url} ${task}`) ?? null;
}
