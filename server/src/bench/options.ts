/** Command-line options of `npm run bench` (pure parsing, so it can be tested without running anything). */
import { parseArgs } from "node:util";

export const BENCH_PARTS = ["ingest", "generate", "csv", "fetch", "scoring", "leaderboard", "root"] as const;
export type BenchPart = (typeof BENCH_PARTS)[number];
/** Default size of the generated nanoDQMIO file, in MB: at least 200 MB for the full run. */
export const ROOT_MEGABYTES = { full: 200, quick: 10 } as const;

export interface BenchOptions {
  /** The small demo instead of the full year, shorter load runs, fewer repeats. */
  quick: boolean;
  parts: Set<BenchPart>;
  /** Python interpreter with pandas, pyarrow and scikit-learn for the reference figures; null skips them. */
  python: string | null;
  /** Seconds of load per leaderboard run. */
  duration: number;
  /** Concurrent connections of the load generator. */
  connections: number;
  /** Number of predictions scored. */
  predictions: number;
  /** Submissions made to the leaderboard task. */
  submissions: number;
  /** Lumisections in the legacy CSV that `ingestFile` and pandas read. */
  csvRows: number;
  /** Size of the generated nanoDQMIO file that `ingest root` and PyROOT read, in MB (10^6 bytes). */
  rootMegabytes: number;
  /** Existing home to use instead of a fresh temporary one (its demo data set is then not re-ingested). */
  home: string | null;
  keepHome: boolean;
  out: string;
  help: boolean;
}

export const BENCH_USAGE = `Usage: node server/dist/bench/run.js [options]   (or: npm run bench -- [options])

  --quick              small demo data set, 3 s load runs, fewer repeats
  --skip <parts>       comma-separated parts to leave out: ${BENCH_PARTS.join(", ")}
  --only <parts>       run only these parts
  --python <path>      Python with pandas, pyarrow and scikit-learn for the reference figures
                       (default: $BENCH_PYTHON, else .venv-bench/bin/python when it exists);
                       --python none skips them
  --duration <s>       seconds of load per leaderboard run (default 10; 3 with --quick)
  --connections <n>    concurrent connections of the load generator (default 10)
  --predictions <n>    predictions scored by scoreAll (default 1000000)
  --submissions <n>    submissions on the leaderboard task (default 50)
  --csv-rows <n>       lumisections in the legacy CSV ingested by ingestFile and pandas (default 50000)
  --root-mb <n>        size of the generated nanoDQMIO file read by ingest root and PyROOT, in MB
                       (default 200; 10 with --quick)
  --home <dir>         use this playground home (demo created there if missing; ingest then unmeasured)
  --keep-home          keep the temporary home and files, and print where they are
  --out <file>         JSON results (default bench-results/latest.json)
  -h, --help           this text
`;

function parseParts(value: string, flag: string): BenchPart[] {
  const parts = value
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  for (const p of parts)
    if (!(BENCH_PARTS as readonly string[]).includes(p))
      throw new Error(`${flag}: unknown part '${p}', expected some of ${BENCH_PARTS.join(", ")}`);
  return parts as BenchPart[];
}

function positiveInteger(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a positive integer, got '${value}'`);
  return n;
}

/**
 * Parses the arguments after the script name (Node's util.parseArgs: unknown options and missing
 * values are its errors); `defaultPython` is used when no --python is given.
 */
export function parseBenchArgs(argv: readonly string[], defaultPython: string | null): BenchOptions {
  const { values: v } = withHelpHint(() =>
    parseArgs({
      args: [...argv],
      strict: true,
      options: {
        quick: { type: "boolean", default: false },
        skip: { type: "string" },
        only: { type: "string" },
        python: { type: "string" },
        duration: { type: "string" },
        connections: { type: "string", default: "10" },
        predictions: { type: "string", default: "1000000" },
        submissions: { type: "string", default: "50" },
        "csv-rows": { type: "string", default: "50000" },
        "root-mb": { type: "string" },
        home: { type: "string" },
        "keep-home": { type: "boolean", default: false },
        out: { type: "string", default: "bench-results/latest.json" },
        help: { type: "boolean", short: "h", default: false },
      },
    }),
  );
  if (v.only !== undefined && v.skip !== undefined) throw new Error("--only and --skip cannot be combined");
  const skip = v.skip === undefined ? [] : parseParts(v.skip, "--skip");
  const only = v.only === undefined ? null : parseParts(v.only, "--only");
  return {
    quick: v.quick,
    parts: new Set<BenchPart>(only ?? BENCH_PARTS.filter((p) => !skip.includes(p))),
    python: v.python === undefined ? defaultPython : v.python === "none" ? null : v.python,
    duration: v.duration === undefined ? (v.quick ? 3 : 10) : positiveInteger(v.duration, "--duration"),
    connections: positiveInteger(v.connections, "--connections"),
    predictions: positiveInteger(v.predictions, "--predictions"),
    submissions: positiveInteger(v.submissions, "--submissions"),
    csvRows: positiveInteger(v["csv-rows"], "--csv-rows"),
    rootMegabytes:
      v["root-mb"] === undefined
        ? v.quick
          ? ROOT_MEGABYTES.quick
          : ROOT_MEGABYTES.full
        : positiveInteger(v["root-mb"], "--root-mb"),
    home: v.home ?? null,
    keepHome: v["keep-home"],
    out: v.out,
    help: v.help,
  };
}

/**
 * Node's argument errors ("Unknown option '--x'") with a pointer to the usage; the kernel library's
 * benchmark uses it too.
 */
export function withHelpHint<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    const code = (err as { code?: string }).code ?? "";
    throw code.startsWith("ERR_PARSE_ARGS") ? new Error(`${(err as Error).message} (see --help)`) : err;
  }
}
