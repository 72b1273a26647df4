/** Leaderboard panels and task pages: commands, palette and launcher items, layout restoration. */
import { ILayoutRestorer, type JupyterFrontEnd, type JupyterFrontEndPlugin } from "@jupyterlab/application";
import { ICommandPalette, IThemeManager, MainAreaWidget, WidgetTracker } from "@jupyterlab/apputils";
import { ILauncher } from "@jupyterlab/launcher";
import { leaderboardIcon } from "../icons";
import { LeaderboardModel } from "../models/leaderboard-model";
import type { BackoffOptions } from "../models/poller";
import { TaskModel } from "../models/task-model";
import { CommandIDs, IPlaygroundService, type PlaygroundSettings } from "../tokens";
import { LeaderboardPanel } from "../widgets/leaderboard-panel";
import { TaskView } from "../widgets/task-view";
import { openInMainArea } from "./main-area";

const CATEGORY = "DQM Playground";

export function refreshOptions(s: Readonly<PlaygroundSettings>): BackoffOptions {
  return { interval: s.refreshInterval * 1000, max: s.maxRefreshInterval * 1000 };
}

export const leaderboardPlugin: JupyterFrontEndPlugin<void> = {
  id: "@dqm-playground/jupyterlab:leaderboard",
  description: "DQM Playground leaderboards and task pages.",
  autoStart: true,
  requires: [IPlaygroundService],
  optional: [ILayoutRestorer, ICommandPalette, ILauncher, IThemeManager],
  activate: (
    app: JupyterFrontEnd,
    service: IPlaygroundService,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
    launcher: ILauncher | null,
    themes: IThemeManager | null,
  ): void => {
    const { commands, shell } = app;
    const boards = new WidgetTracker<MainAreaWidget<LeaderboardPanel>>({
      namespace: "dqm-playground-leaderboard",
    });
    const tasks = new WidgetTracker<MainAreaWidget<TaskView>>({ namespace: "dqm-playground-task" });
    void restorer?.restore(boards, {
      command: CommandIDs.openLeaderboard,
      args: (w) => ({ task: w.content.model.taskName }),
      name: (w) => w.content.model.taskName ?? "default",
    });
    void restorer?.restore(tasks, {
      command: CommandIDs.openTask,
      args: (w) => ({ task: w.content.taskName }),
      name: (w) => w.content.taskName,
    });

    let counter = 0;
    commands.addCommand(CommandIDs.openLeaderboard, {
      label: (args) =>
        typeof args.task === "string" ? `Open Leaderboard of ${args.task}` : "DQM Leaderboard",
      caption: "Ranked submissions of a DQM Playground task",
      icon: leaderboardIcon,
      describedBy: {
        args: {
          type: "object",
          properties: {
            task: { type: ["string", "null"], description: "Task name (default: the first task)" },
          },
        },
      },
      execute: async (args) => {
        const task = typeof args.task === "string" && args.task ? args.task : null;
        const existing = boards.find((w) => (task ? w.content.model.taskName === task : true));
        if (existing) {
          shell.activateById(existing.id);
          return existing;
        }
        const model = new LeaderboardModel(service.client, {
          task,
          refresh: refreshOptions(service.settings),
        });
        const content = new LeaderboardPanel({
          model,
          openTask: (name) => void commands.execute(CommandIDs.openTask, { task: name }),
        });
        const id = `dqm-leaderboard-${++counter}-${Date.now().toString(36)}`;
        return openInMainArea(shell, boards, content, id, leaderboardIcon, (widget) => {
          let saved = model.taskName;
          model.changed.connect(() => {
            if (model.taskName !== saved) {
              saved = model.taskName;
              void boards.save(widget);
            }
          });
        });
      },
    });

    commands.addCommand(CommandIDs.openTask, {
      label: (args) => (typeof args.task === "string" ? `Open Task ${args.task}` : "Open DQM Task"),
      caption: "A task's description, splits, hashes and metric settings",
      icon: leaderboardIcon,
      describedBy: {
        args: { type: "object", properties: { task: { type: "string" } }, required: ["task"] },
      },
      execute: async (args) => {
        const name = typeof args.task === "string" && args.task ? args.task : null;
        if (!name) throw new Error("open-task needs a 'task' argument");
        const existing = tasks.find((w) => w.content.taskName === name);
        if (existing) {
          shell.activateById(existing.id);
          return existing;
        }
        const content = new TaskView(
          new TaskModel(service.client, name),
          (t) => void commands.execute(CommandIDs.openLeaderboard, { task: t }),
        );
        return openInMainArea(shell, tasks, content, `dqm-task-${name}`, leaderboardIcon);
      },
    });

    commands.addCommand(CommandIDs.exportCsv, {
      label: "Export Leaderboard as CSV",
      isEnabled: () => boards.currentWidget !== null,
      execute: () => boards.currentWidget?.content.exportCsv(),
    });

    palette?.addItem({ command: CommandIDs.openLeaderboard, category: CATEGORY });
    palette?.addItem({ command: CommandIDs.exportCsv, category: CATEGORY });
    launcher?.add({ command: CommandIDs.openLeaderboard, category: CATEGORY, rank: 1 });

    service.settingsChanged.connect((_, settings) => {
      boards.forEach((w) => {
        w.content.model.setRefreshOptions(refreshOptions(settings));
        void w.content.model.load();
      });
    });
    themes?.themeChanged.connect(() => boards.forEach((w) => w.content.redraw()));
  },
};
