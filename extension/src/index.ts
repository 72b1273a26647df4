/** @dqm-playground/jupyterlab: the DQM Playground in JupyterLab. This module only registers the plugins. */
import type { JupyterFrontEndPlugin } from "@jupyterlab/application";
import { browserPlugin } from "./plugins/browser";
import { leaderboardPlugin } from "./plugins/leaderboard";
import { servicePlugin } from "./plugins/service";

export { IPlaygroundService, CommandIDs } from "./tokens";
export type { PlaygroundSettings } from "./tokens";

const plugins: JupyterFrontEndPlugin<unknown>[] = [servicePlugin, browserPlugin, leaderboardPlugin];

export default plugins;
