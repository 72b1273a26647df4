/**
 * Child-process entry of one benchmark job: `node job.js <name> <params JSON>`. Sends the result and
 * the process's peak RSS to the parent over the IPC channel, then exits.
 */
import { JOBS, type JobName } from "./jobs";

export interface JobMessage {
  ok: boolean;
  result?: unknown;
  error?: string;
  /** Peak resident set size of the job's process, in bytes. */
  maxRssBytes: number;
}

async function main(): Promise<void> {
  const [name, params] = process.argv.slice(2);
  const send = (m: Omit<JobMessage, "maxRssBytes">) =>
    new Promise<void>((resolve) =>
      process.send!({ ...m, maxRssBytes: process.resourceUsage().maxRSS * 1024 }, () => resolve()),
    );
  if (!(name in JOBS)) {
    await send({ ok: false, error: `unknown job '${name}'` });
    return;
  }
  try {
    const job = JOBS[name as JobName] as (p: unknown) => Promise<unknown>;
    await send({ ok: true, result: await job(JSON.parse(params ?? "{}")) });
  } catch (err) {
    await send({ ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
}

if (!process.send) {
  process.stderr.write("job.js runs only as a child of the benchmark (node server/dist/bench/run.js)\n");
  process.exit(2);
}
main().then(
  () => process.exit(0),
  () => process.exit(1),
);
