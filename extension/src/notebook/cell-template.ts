/**
 * The notebook cell that loads what a run view shows, with the kernel library (@dqm-playground/kernel,
 * run by the tslab kernel; API in kernel-lib/README.md). Kept in this one file so it can follow the
 * library's API as it changes.
 */

export interface CellContext {
  dataset: string;
  monitorElement: string;
  run: number;
  /** The reference run of the overlay, if one is chosen. */
  referenceRun?: number | null;
  /** Whether the reference run is the data set's designated one for the run (the library finds it then). */
  referenceDesignated?: boolean;
  /** The selected lumisection, if any. */
  lumisection?: number | null;
  /** 1D or 2D monitor element (the overlay is drawn for 1D only). */
  dim?: 1 | 2;
}

/** A TypeScript string literal of `s`. */
function literal(s: string): string {
  return JSON.stringify(s);
}

export function loadCellSource(c: CellContext): string {
  const lines = [
    `import * as dqm from "@dqm-playground/kernel";`,
    ``,
    `const pg = await dqm.connect();`,
    `const dataset = ${literal(c.dataset)};`,
    `const me = ${literal(c.monitorElement)};`,
    `// Run ${c.run}: one row per lumisection (Arrow table: run, lumisection, entries, data)`,
    `const histograms = await pg.histograms(dataset, me, { run: ${c.run} });`,
    `const x = dqm.features(histograms, { normalize: "l1" });`,
    `dqm.plot.heatmap(x, ${c.run});`,
  ];
  const reference = c.referenceRun ?? null;
  if (reference !== null && reference !== c.run) {
    if (c.referenceDesignated)
      lines.push(
        `// The reference: the designated reference run for run ${c.run} (run ${reference}), mean of its good lumisections, each normalised`,
        `const ref = await pg.reference(dataset, me, ${c.run});`,
        `const reference = ref.values;`,
      );
    else
      lines.push(
        `// The reference: mean of the good lumisections of run ${reference}, each normalised`,
        `const ref = dqm.features(await pg.histograms(dataset, me, { run: ${reference}, label: "good" }), { normalize: "l1" });`,
        `const reference = dqm.evaluate.reference(ref);`,
      );
    const ls = c.lumisection ?? null;
    if (ls !== null && (c.dim ?? 1) === 1) {
      lines.push(
        `dqm.plot.histogram(x.row(x.find(${c.run}, ${ls})), reference, {`,
        `  binning: x.blocks[0].binning,`,
        `  names: ["LS ${ls}", "run ${reference} mean"],`,
        `});`,
      );
    }
  }
  return lines.join("\n");
}
