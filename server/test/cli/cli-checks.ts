/** Checks shared by the CLI tests: one-line failures, table counts of a home's store, API requests. */
import fs from "node:fs";
import path from "node:path";
import { COLLECT_REFERENCED_FILES, queryStore, type CliResult } from "../helpers/cli";
import type { MonitorElement as WireMonitorElement } from "@dqm-playground/api-types";

/** A failed command: exit code 1, nothing on stdout, exactly one line `dqm-playground: <message>`. */
export function expectFailure(r: CliResult, message: string | RegExp, stdout = ""): void {
  const context = `stdout: ${r.stdout}\nstderr: ${r.stderr}`;
  expect({ code: r.code, context }).toEqual({ code: 1, context });
  expect(r.stdout).toBe(stdout);
  expect(r.stderr.endsWith("\n")).toBe(true);
  expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
  if (typeof message === "string") expect(r.stderr).toBe(`dqm-playground: ${message}\n`);
  else expect(r.stderr.slice("dqm-playground: ".length).trimEnd()).toMatch(message);
  expect(r.stderr.startsWith("dqm-playground: ")).toBe(true);
}

/** A command that succeeded with nothing on stderr (a message there would be a hidden failure). */
export function expectSuccess(r: CliResult): string {
  const context = `stdout: ${r.stdout}\nstderr: ${r.stderr}`;
  expect({ code: r.code, stderr: r.stderr, context }).toEqual({ code: 0, stderr: "", context });
  return r.stdout;
}

export const STORE_TABLES = [
  "datasets",
  "monitor_elements",
  "runs",
  "lumisections",
  "certifications",
  "certification_ranges",
  "ingests",
  "histogram_blocks",
  "tasks",
  "submissions",
] as const;

export type StoreCounts = Record<(typeof STORE_TABLES)[number], number>;

export interface StoreView {
  /** As `datasets --json` prints them. */
  datasets: Array<{
    name: string;
    era: string | null;
    primaryDataset: string | null;
    monitorElements: number;
    runs: number;
    lumisections: number;
  }>;
  /** Row counts of every table. */
  counts: StoreCounts;
  /** The block files the index refers to (histogram blocks, task splits, submitted scores), sorted. */
  referenced: string[];
  /** Monitor elements of every data set. */
  monitorElements: Record<string, WireMonitorElement[]>;
}

/** Everything the tests look at in a home's store, read by one child process (each costs a PGlite start). */
export function inspectStore(home: string, env: Record<string, string> = {}): Promise<StoreView> {
  return queryStore(
    home,
    `
    const counts = {};
    for (const t of ${JSON.stringify(STORE_TABLES)}) {
      const r = await store.db.selectFrom(t).select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
      counts[t] = Number(r.n);
    }
    ${COLLECT_REFERENCED_FILES}
    const datasets = await store.datasets();
    const monitorElements = {};
    for (const d of datasets) monitorElements[d.name] = await store.monitorElements(d.name);
    return { datasets, counts, referenced: [...files].sort(), monitorElements };
  `,
    env,
  );
}

/** Entries of the temporary folder of a blocks folder (ingests in flight or left by killed ones). */
export function tmpEntries(blocksDir: string): string[] {
  const tmp = path.join(blocksDir, "tmp");
  return fs.existsSync(tmp) ? fs.readdirSync(tmp).sort() : [];
}

/** The local admin token of a home. */
export function homeToken(home: string): string {
  return fs.readFileSync(path.join(home, "token"), "utf8").trim();
}

/** A request to `url/api/v1/<route>` with a bearer token; returns the status and the parsed JSON body. */
export async function api<T = unknown>(
  url: string,
  token: string | null,
  route: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${url}/api/v1/${route}`, {
    method: init.method ?? "GET",
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}
