/** A progress bar on stderr for long work (only on a terminal: logs and pipes stay clean). */
import cliProgress from "cli-progress";

export interface Progress {
  update(done: number): void;
  stop(): void;
}

export function progressBar(label: string, total: number | null): Progress {
  if (!process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      format: total
        ? `${label} [{bar}] {percentage}% {value}/{total} {unit} ({rate}/s, eta {eta_formatted})`
        : `${label} {value} {unit} ({rate}/s)`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const start = Date.now();
  bar.start(total ?? 0, 0, { unit: "records", rate: 0 });
  return {
    update: (done) =>
      bar.update(done, { rate: Math.round(done / Math.max(1e-3, (Date.now() - start) / 1000)) }),
    stop: () => bar.stop(),
  };
}
