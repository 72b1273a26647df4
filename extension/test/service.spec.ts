import { ServerConnection } from "@jupyterlab/services";
import { PlaygroundService, readSettings } from "../src/service";
import { DEFAULT_SETTINGS } from "../src/tokens";
import { API, BASE_URL } from "./fake-service";

describe("readSettings", () => {
  it("takes valid values and falls back to defaults for malformed ones", () => {
    expect(readSettings({})).toEqual(DEFAULT_SETTINGS);
    expect(
      readSettings({ serviceUrl: "http://x", serviceToken: 5, refreshInterval: -1, maxRefreshInterval: "9" }),
    ).toEqual({ ...DEFAULT_SETTINGS, serviceUrl: "http://x" });
  });

  it("keeps the longest interval at least the base interval", () => {
    expect(readSettings({ refreshInterval: 60, maxRefreshInterval: 30 })).toMatchObject({
      refreshInterval: 60,
      maxRefreshInterval: 60,
    });
  });
});

describe("PlaygroundService", () => {
  it("points its client at the proxy, then at a configured service, and signals the change once", () => {
    const service = new PlaygroundService(ServerConnection.makeSettings({ baseUrl: BASE_URL }));
    expect(service.client.apiUrl).toBe(API);
    const seen: string[] = [];
    service.settingsChanged.connect((_, s) => seen.push(s.serviceUrl));
    service.update({ ...DEFAULT_SETTINGS, serviceUrl: "https://central.test" });
    service.update({ ...DEFAULT_SETTINGS, serviceUrl: "https://central.test" });
    expect(seen).toEqual(["https://central.test"]);
    expect(service.client.apiUrl).toBe("https://central.test/api/v1/");
    expect(Object.isFrozen(service.settings)).toBe(true);
  });
});
