/** What other plugins can use: the playground service connection, and the command ids. */
import { Token } from "@lumino/coreutils";
import type { ISignal } from "@lumino/signaling";
import type { PlaygroundClient } from "./api/client";

export const PLUGIN_ID = "@dqm-playground/jupyterlab:plugin";

export interface PlaygroundSettings {
  /** A central service; empty: the one behind the Jupyter server. */
  serviceUrl: string;
  serviceToken: string;
  /** Seconds between leaderboard refreshes. */
  refreshInterval: number;
  /** Longest refresh interval of the back-off, seconds. */
  maxRefreshInterval: number;
}

export const DEFAULT_SETTINGS: Readonly<PlaygroundSettings> = Object.freeze({
  serviceUrl: "",
  serviceToken: "",
  refreshInterval: 10,
  maxRefreshInterval: 300,
});

/** The connection to the playground service, following the user's settings. */
export interface IPlaygroundService {
  readonly client: PlaygroundClient;
  readonly settings: Readonly<PlaygroundSettings>;
  readonly settingsChanged: ISignal<IPlaygroundService, Readonly<PlaygroundSettings>>;
}

export const IPlaygroundService = new Token<IPlaygroundService>(
  "@dqm-playground/jupyterlab:IPlaygroundService",
  "The DQM Playground service connection (REST client and settings).",
);

/** Command ids of the extension. */
export const CommandIDs = {
  openBrowser: "dqm-playground:open-browser",
  refreshBrowser: "dqm-playground:refresh-browser",
  openRun: "dqm-playground:open-run",
  openInNotebook: "dqm-playground:open-in-notebook",
  openLeaderboard: "dqm-playground:open-leaderboard",
  openTask: "dqm-playground:open-task",
  exportCsv: "dqm-playground:export-leaderboard-csv",
} as const;
