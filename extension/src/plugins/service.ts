/** Provides the playground service connection, configured by the extension's settings (schema/plugin.json). */
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from "@jupyterlab/application";
import { ISettingRegistry } from "@jupyterlab/settingregistry";
import { PlaygroundService, readSettings } from "../service";
import { IPlaygroundService, PLUGIN_ID, type PlaygroundSettings } from "../tokens";

export const servicePlugin: JupyterFrontEndPlugin<IPlaygroundService> = {
  id: PLUGIN_ID,
  description: "The DQM Playground service connection and settings.",
  autoStart: true,
  provides: IPlaygroundService,
  optional: [ISettingRegistry],
  activate: async (app: JupyterFrontEnd, registry: ISettingRegistry | null): Promise<IPlaygroundService> => {
    const service = new PlaygroundService(app.serviceManager.serverSettings);
    if (registry) {
      try {
        const settings = await registry.load(PLUGIN_ID);
        const apply = () =>
          service.update(
            readSettings(settings.composite as Partial<Record<keyof PlaygroundSettings, unknown>>),
          );
        apply();
        settings.changed.connect(apply);
      } catch (err) {
        console.warn("DQM Playground: could not load the settings, using the defaults", err);
      }
    }
    return service;
  },
};
