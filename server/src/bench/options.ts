/** Command-line options of `npm run bench` (pure parsing, so it can be tested without running anything). */

export const BENCH_PARTS = ["ingest", "generate", "csv", "fetch", "scoring", "leaderboard"] as const;
export type BenchPart = (typeof BENCH_PARTS)[number];

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

/** Parses the arguments after the script name; `defaultPython` is used when no --python is given. */
export function parseBenchArgs(argv: readonly string[], defaultPython: string | null): BenchOptions {
  let quick = false;
  let skip: BenchPart[] = [];
  let only: BenchPart[] | null = null;
  let python: string | null | undefined;
  let duration: number | undefined;
  let connections = 10;
  let predictions = 1_000_000;
  let submissions = 50;
  let csvRows = 50_000;
  let home: string | null = null;
  let keepHome = false;
  let out = "bench-results/latest.json";
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith("--")) throw new Error(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case "--quick":
        quick = true;
        break;
      case "--skip":
        skip = parseParts(value(), arg);
        break;
      case "--only":
        only = parseParts(value(), arg);
        break;
      case "--python": {
        const v = value();
        python = v === "none" ? null : v;
        break;
      }
      case "--duration":
        duration = positiveInteger(value(), arg);
        break;
      case "--connections":
        connections = positiveInteger(value(), arg);
        break;
      case "--predictions":
        predictions = positiveInteger(value(), arg);
        break;
      case "--submissions":
        submissions = positiveInteger(value(), arg);
        break;
      case "--csv-rows":
        csvRows = positiveInteger(value(), arg);
        break;
      case "--home":
        home = value();
        break;
      case "--keep-home":
        keepHome = true;
        break;
      case "--out":
        out = value();
        break;
      case "-h":
      case "--help":
        help = true;
        break;
      default:
        throw new Error(`unknown option '${arg}' (see --help)`);
    }
  }
  if (only && skip.length > 0) throw new Error("--only and --skip cannot be combined");
  const parts = new Set<BenchPart>(only ?? BENCH_PARTS.filter((p) => !skip.includes(p)));
  return {
    quick,
    parts,
    python: python === undefined ? defaultPython : python,
    duration: duration ?? (quick ? 3 : 10),
    connections,
    predictions,
    submissions,
    csvRows,
    home,
    keepHome,
    out,
    help,
  };
}
