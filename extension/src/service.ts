/** The playground service connection: the settings in force and a client that follows them. */
import { ServerConnection } from "@jupyterlab/services";
import { Signal, type ISignal } from "@lumino/signaling";
import { PlaygroundClient } from "./api/client";
import { resolveEndpoint } from "./request";
import { DEFAULT_SETTINGS, type IPlaygroundService, type PlaygroundSettings } from "./tokens";

/** Settings from the registry's raw values, falling back to the defaults for anything malformed. */
export function readSettings(raw: Partial<Record<keyof PlaygroundSettings, unknown>>): PlaygroundSettings {
  const text = (v: unknown, d: string) => (typeof v === "string" ? v : d);
  const seconds = (v: unknown, d: number) => (typeof v === "number" && Number.isFinite(v) && v > 0 ? v : d);
  const refreshInterval = seconds(raw.refreshInterval, DEFAULT_SETTINGS.refreshInterval);
  return {
    serviceUrl: text(raw.serviceUrl, DEFAULT_SETTINGS.serviceUrl),
    serviceToken: text(raw.serviceToken, DEFAULT_SETTINGS.serviceToken),
    refreshInterval,
    maxRefreshInterval: Math.max(
      refreshInterval,
      seconds(raw.maxRefreshInterval, DEFAULT_SETTINGS.maxRefreshInterval),
    ),
  };
}

export class PlaygroundService implements IPlaygroundService {
  constructor(serverSettings: ServerConnection.ISettings = ServerConnection.makeSettings()) {
    this.client = new PlaygroundClient(() => resolveEndpoint(this._settings, serverSettings), serverSettings);
  }

  readonly client: PlaygroundClient;

  get settings(): Readonly<PlaygroundSettings> {
    return this._settings;
  }

  get settingsChanged(): ISignal<IPlaygroundService, Readonly<PlaygroundSettings>> {
    return this._settingsChanged;
  }

  update(settings: PlaygroundSettings): void {
    const before = JSON.stringify(this._settings);
    this._settings = Object.freeze({ ...settings });
    if (JSON.stringify(this._settings) !== before) this._settingsChanged.emit(this._settings);
  }

  private _settings: Readonly<PlaygroundSettings> = DEFAULT_SETTINGS;
  private _settingsChanged = new Signal<IPlaygroundService, Readonly<PlaygroundSettings>>(this);
}
