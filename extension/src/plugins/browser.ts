/**
 * The dataset browser sidebar, the run views and "Open in notebook": commands, palette items and
 * layout restoration.
 */
import { ILayoutRestorer, type JupyterFrontEnd, type JupyterFrontEndPlugin } from "@jupyterlab/application";
import { ICommandPalette, IThemeManager, MainAreaWidget, WidgetTracker } from "@jupyterlab/apputils";
import { ILauncher } from "@jupyterlab/launcher";
import { INotebookTracker } from "@jupyterlab/notebook";
import type { ReadonlyPartialJSONObject } from "@lumino/coreutils";
import { playgroundIcon } from "../icons";
import { DatasetBrowserModel } from "../models/browser-model";
import { RunViewModel, type RunViewRef } from "../models/run-model";
import { openInNotebook } from "../notebook/open-in-notebook";
import { CommandIDs, IPlaygroundService } from "../tokens";
import { openInMainArea } from "./main-area";
import { DatasetBrowserPanel } from "../widgets/browser-panel";
import { RunView } from "../widgets/run-view";

const CATEGORY = "DQM Playground";

/** The run view arguments of a command, checked. */
export function runRef(args: ReadonlyPartialJSONObject, fallbackDataset: string | null): RunViewRef {
  const dataset = typeof args.dataset === "string" && args.dataset ? args.dataset : fallbackDataset;
  const run = Number(args.run);
  if (!dataset) throw new Error("open-run needs a 'dataset' argument (no data set is chosen in the browser)");
  if (!Number.isInteger(run) || run < 0)
    throw new Error(`open-run needs a run number, got '${String(args.run)}'`);
  const me = typeof args.me === "string" && args.me ? args.me : null;
  return { dataset, run, me };
}

export const browserPlugin: JupyterFrontEndPlugin<void> = {
  id: "@dqm-playground/jupyterlab:browser",
  description: "The DQM Playground dataset browser (left sidebar) and run views.",
  autoStart: true,
  requires: [IPlaygroundService],
  optional: [ILayoutRestorer, ICommandPalette, INotebookTracker, IThemeManager, ILauncher],
  activate: (
    app: JupyterFrontEnd,
    service: IPlaygroundService,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
    notebooks: INotebookTracker | null,
    themes: IThemeManager | null,
    launcher: ILauncher | null,
  ): void => {
    const { commands, shell } = app;
    const model = new DatasetBrowserModel(service.client);
    const panel = new DatasetBrowserPanel({
      model,
      openRun: (ref) => void commands.execute(CommandIDs.openRun, { ...ref }),
      openTask: (task) => void commands.execute(CommandIDs.openLeaderboard, { task }),
    });
    panel.title.icon = playgroundIcon;
    shell.add(panel, "left", { rank: 450 });
    restorer?.add(panel, "dqm-playground-browser");
    service.settingsChanged.connect(() => void model.refresh());

    const tracker = new WidgetTracker<MainAreaWidget<RunView>>({ namespace: "dqm-playground-run" });
    void restorer?.restore(tracker, {
      command: CommandIDs.openRun,
      args: (w) => ({ ...w.content.model.ref }),
      name: (w) => `${w.content.model.dataset}:${w.content.model.run}`,
    });

    commands.addCommand(CommandIDs.openRun, {
      label: (args) => (args.run !== undefined ? `Open Run ${String(args.run)}` : "Open Run View"),
      caption: "Open the lumisection view of a run",
      icon: playgroundIcon,
      describedBy: {
        args: {
          type: "object",
          properties: {
            dataset: { type: "string", description: "Data set (default: the one chosen in the browser)" },
            run: { type: "integer", description: "Run number" },
            me: { type: "string", description: "Monitor element (default: the first)" },
          },
          required: ["run"],
        },
      },
      execute: async (args) => {
        const ref = runRef(args, model.dataset?.name ?? null);
        const existing = tracker.find(
          (w) => w.content.model.dataset === ref.dataset && w.content.model.run === ref.run,
        );
        if (existing) {
          shell.activateById(existing.id);
          if (ref.me && existing.content.model.monitorElement?.name !== ref.me)
            await existing.content.model.setMonitorElement(ref.me);
          return existing;
        }
        const content = new RunView({
          model: new RunViewModel(service.client, ref),
          openInNotebook: (source) => void commands.execute(CommandIDs.openInNotebook, { source }),
        });
        return openInMainArea(
          shell,
          tracker,
          content,
          `dqm-run-${ref.dataset}-${ref.run}`,
          playgroundIcon,
          (w) => content.model.changed.connect(() => void tracker.save(w)),
        );
      },
    });

    commands.addCommand(CommandIDs.openInNotebook, {
      label: "Open in Notebook",
      caption: "Insert the cell that loads the current run view's histograms into the active notebook",
      isEnabled: (args) => typeof args.source === "string" || tracker.currentWidget !== null,
      execute: async (args) => {
        const source =
          typeof args.source === "string" ? args.source : tracker.currentWidget?.content.model.cellSource();
        if (!source) return;
        return openInNotebook(commands, notebooks, source, (id) => shell.activateById(id));
      },
    });

    commands.addCommand(CommandIDs.openBrowser, {
      label: "Show DQM Playground Browser",
      caption: "Data sets, monitor elements, runs and tasks of the DQM Playground",
      icon: playgroundIcon,
      execute: () => shell.activateById(panel.id),
    });

    commands.addCommand(CommandIDs.refreshBrowser, {
      label: "Reload DQM Playground Data Sets",
      execute: () => model.refresh(),
    });

    for (const command of [CommandIDs.openBrowser, CommandIDs.refreshBrowser, CommandIDs.openInNotebook])
      palette?.addItem({ command, category: CATEGORY });
    launcher?.add({ command: CommandIDs.openBrowser, category: CATEGORY, rank: 2 });

    themes?.themeChanged.connect(() => {
      tracker.forEach((w) => w.content.redraw());
    });
  },
};
