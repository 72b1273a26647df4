import { ServerConnection } from "@jupyterlab/services";
import {
  errorFromResponse,
  PlaygroundError,
  query,
  requestJSON,
  requestService,
  resolveEndpoint,
  type ServiceEndpoint,
} from "../src/request";
import { API, BASE_URL, FakeService } from "./fake-service";

const server = ServerConnection.makeSettings({ baseUrl: BASE_URL });
const proxy = resolveEndpoint({ serviceUrl: "", serviceToken: "" }, server);
const central: ServiceEndpoint = resolveEndpoint(
  { serviceUrl: " https://dqm.example.org/playground ", serviceToken: " secret " },
  server,
);

describe("resolveEndpoint", () => {
  it("uses the Jupyter server proxy under the base URL by default", () => {
    expect(proxy).toEqual({ kind: "proxy", apiUrl: API, token: "" });
  });

  it("uses a configured central service with its token", () => {
    expect(central).toEqual({
      kind: "url",
      apiUrl: "https://dqm.example.org/playground/api/v1/",
      token: "secret",
    });
  });
});

describe("query", () => {
  it("encodes the defined parameters only", () => {
    expect(query({ me: "a/b c", run: 5, cursor: undefined, x: null, y: "" })).toBe("?me=a%2Fb%20c&run=5");
    expect(query({})).toBe("");
  });
});

describe("errorFromResponse", () => {
  const url = `${API}datasets`;

  it("explains a 401 from the proxy with the shared home", () => {
    const err = errorFromResponse(proxy, 401, url, JSON.stringify({ message: "unknown or revoked token" }));
    expect(err).toBeInstanceOf(PlaygroundError);
    expect(err.kind).toBe("auth");
    expect(err.message).toBe(
      "The service refused the credentials (401): unknown or revoked token. The Jupyter server adds the local token ($DQM_PLAYGROUND_HOME/token); check that the service and the Jupyter server use the same DQM_PLAYGROUND_HOME.",
    );
  });

  it("points a 401 of a central service at the token setting", () => {
    expect(errorFromResponse(central, 401, url, "").message).toBe(
      "The service refused the credentials (401). Set a valid token in Settings → DQM Playground → Service token.",
    );
  });

  it("tells a missing proxy (Jupyter's 404 page) from the service's own 404", () => {
    const missing = errorFromResponse(proxy, 404, url, "<html><body>404 : Not Found</body></html>");
    expect(missing.kind).toBe("not-found");
    expect(missing.message).toBe(
      `No DQM Playground service at ${url} (404). Is the Python package dqm-playground-jupyterlab (with jupyter-server-proxy) installed in the Jupyter server's environment?`,
    );
    const own = errorFromResponse(
      proxy,
      404,
      url,
      JSON.stringify({ statusCode: 404, message: "no data set named 'x'" }),
    );
    expect(own.message).toBe("Not found (404): no data set named 'x'");
  });

  it("reports a service that failed to start or answers 5xx", () => {
    const down = errorFromResponse(
      proxy,
      500,
      url,
      "<html><title>500</title>could not start dqm-playground in time</html>",
    );
    expect(down.kind).toBe("unavailable");
    expect(down.message).toBe(
      "The DQM Playground service is not available (500): 500 could not start dqm-playground in time. It may have failed to start or stopped; see the Jupyter server's log.",
    );
    const failed = errorFromResponse(proxy, 500, url, JSON.stringify({ message: "database is locked" }));
    expect(failed.kind).toBe("server");
    expect(failed.message).toBe("The service failed (500): database is locked");
    expect(errorFromResponse(proxy, 503, url, "").kind).toBe("unavailable");
  });

  it("passes other client errors through with the service's message", () => {
    const err = errorFromResponse(
      proxy,
      400,
      url,
      JSON.stringify({ message: "querystring/run must be integer" }),
    );
    expect(err.kind).toBe("request");
    expect(err.message).toBe("The service rejected the request (400): querystring/run must be integer");
    expect(errorFromResponse(proxy, 403, url, JSON.stringify({ message: "hidden" })).message).toBe(
      "Not allowed (403): hidden",
    );
  });

  it("shortens long non-JSON bodies", () => {
    const err = errorFromResponse(proxy, 502, url, "x".repeat(500));
    expect(err.message).toContain(`${"x".repeat(200)}…`);
  });
});

describe("requestService", () => {
  it("goes through the Jupyter server with Jupyter's token", async () => {
    const fake = new FakeService();
    const settings = fake.serverSettings();
    const body = await requestJSON<{ service: string }>(
      resolveEndpoint({ serviceUrl: "", serviceToken: "" }, settings),
      settings,
      "health",
    );
    expect(body.service).toBe("dqm-playground");
    expect(fake.requests[0].path).toBe("health");
    expect(fake.requests[0].headers.get("Authorization")).toBe("token jupyter-token");
  });

  it("sends the bearer token to a central service", async () => {
    const fake = new FakeService();
    const settings = fake.serverSettings();
    const endpoint = resolveEndpoint({ serviceUrl: "http://central.test/", serviceToken: "tok" }, settings);
    await requestService(endpoint, settings, "/health");
    expect(fake.requests[0].headers.get("Authorization")).toBe("Bearer tok");
  });

  it("turns a failed fetch into a network error naming the service", async () => {
    const settings = ServerConnection.makeSettings({
      baseUrl: BASE_URL,
      fetch: () => Promise.reject(new TypeError("Failed to fetch")),
    });
    const endpoint = resolveEndpoint({ serviceUrl: "http://central.test", serviceToken: "" }, settings);
    await expect(requestService(endpoint, settings, "health")).rejects.toThrow(
      "Cannot reach the DQM Playground service at http://central.test/api/v1/ (Failed to fetch): is it running, and does it allow requests from this page's origin (CORS)?",
    );
    const viaProxy = resolveEndpoint({ serviceUrl: "", serviceToken: "" }, settings);
    const err = await requestService(viaProxy, settings, "health").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlaygroundError);
    expect((err as PlaygroundError).kind).toBe("network");
    expect((err as PlaygroundError).message).toMatch(/^Cannot reach the Jupyter server/);
  });

  it("throws the service's error for a non-2xx answer", async () => {
    const fake = new FakeService();
    fake.failNext("datasets", 401, {
      statusCode: 401,
      error: "Unauthorized",
      message: "unknown or revoked token",
    });
    const settings = fake.serverSettings();
    await expect(requestService(proxy, settings, "datasets")).rejects.toThrow(
      "The service refused the credentials (401): unknown or revoked token.",
    );
  });

  it("rejects an answer that is not JSON", async () => {
    const settings = ServerConnection.makeSettings({
      baseUrl: BASE_URL,
      fetch: () => Promise.resolve(new Response("<html>hello</html>", { status: 200 })),
    });
    await expect(requestJSON(proxy, settings, "health")).rejects.toThrow(
      "The service answered health with something that is not JSON: hello",
    );
  });
});
