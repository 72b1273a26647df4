import type { Command } from "commander";
import { action, parseInteger } from "../actions";
import { progressBar } from "../progress";
import { withOwnStore } from "../store-access";
import { DEMO_SIZES, type DemoSize } from "../../demo/lumisections";

export function registerDemo(program: Command): void {
  program
    .command("demo")
    .description(
      "Create the demo data set, or whatever part of it is missing (an interrupted run is completed): simulated tracker histograms on the real 2018 runs, " +
        "lumisections and certification (small: a few runs for trying things out; full: the whole year)",
    )
    .option("--size <size>", `${DEMO_SIZES.join(" or ")}`, "small")
    .option("--seed <seed>", "random seed of the simulation", parseInteger)
    .action(
      action(async (opts: { size: string; seed?: number }) => {
        if (!(DEMO_SIZES as readonly string[]).includes(opts.size))
          throw new Error(`unknown size '${opts.size}', expected ${DEMO_SIZES.join(" or ")}`);
        const { createDemo } = await import("../../demo/create-demo.js");
        await withOwnStore(async (store) => {
          let bar: ReturnType<typeof progressBar> | null = null;
          const result = await createDemo(
            store,
            { size: opts.size as DemoSize, seed: opts.seed },
            (done, total) => {
              bar ??= progressBar("demo", total);
              bar.update(done);
            },
          );
          (bar as ReturnType<typeof progressBar> | null)?.stop();
          process.stdout.write(
            !result.created
              ? `demo data set ${result.dataset} is already there\n`
              : `created demo data set ${result.dataset}: ${result.lumisections} lumisections, ${result.monitorElements} monitor elements\n` +
                  (result.made.includes("histograms")
                    ? ""
                    : `(completed what an interrupted run left missing: ${result.made.join(", ")})\n`),
          );
        }, "first");
      }),
    );
}
