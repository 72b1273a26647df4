/**
 * CORS for the extension talking to a central service from the browser: only origins on the
 * DQM_PLAYGROUND_CORS_ORIGINS allow-list get CORS headers, preflights need no token, and with the
 * variable unset the service sends no CORS header at all.
 */
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { buildApp } from "../../src/api/app";
import { corsOriginsFromEnv } from "../../src/config";
import { openTestStore } from "../helpers/stores";
import { createUser } from "../../src/store/users";
import type { TestStore as Store } from "../helpers/stores";

const ALLOWED = "https://swan.cern.ch";
const OTHER = "https://evil.example.org";

function corsHeaders(res: LightMyRequestResponse): Record<string, unknown> {
  return Object.fromEntries(Object.entries(res.headers).filter(([k]) => k.startsWith("access-control-")));
}

const preflight = (app: FastifyInstance, origin: string, url = "/api/v1/tasks/t/submissions") =>
  app.inject({
    method: "OPTIONS",
    url,
    headers: {
      origin,
      "access-control-request-method": "POST",
      "access-control-request-headers": "authorization,content-type,idempotency-key",
    },
  });

describe("CORS", () => {
  let store: Store;
  let close: () => Promise<void>;
  let token: string;
  const saved = process.env.DQM_PLAYGROUND_CORS_ORIGINS;

  beforeAll(async () => {
    const opened = await openTestStore("pglite");
    store = opened.store;
    close = opened.close;
    token = (await createUser(store.db, "alice", "participant")).token;
  });
  afterAll(async () => {
    await close();
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.DQM_PLAYGROUND_CORS_ORIGINS;
    else process.env.DQM_PLAYGROUND_CORS_ORIGINS = saved;
  });

  async function withApp(opts: { corsOrigins?: string[] }, body: (app: FastifyInstance) => Promise<void>) {
    const app = await buildApp({ store, ...opts });
    try {
      await body(app);
    } finally {
      await app.close();
    }
  }

  it("answers a preflight from an allowed origin without a token", async () => {
    await withApp({ corsOrigins: [ALLOWED, "http://localhost:8888"] }, async (app) => {
      const res = await preflight(app, ALLOWED);
      expect(res.statusCode).toBe(204);
      expect(corsHeaders(res)).toEqual({
        "access-control-allow-origin": ALLOWED,
        "access-control-allow-methods": "GET, HEAD, POST",
        "access-control-allow-headers": "Authorization, Content-Type, Idempotency-Key",
        "access-control-expose-headers": "x-split-sha256",
        "access-control-max-age": "600",
      });
      expect((await preflight(app, "http://localhost:8888", "/api/v1/datasets")).statusCode).toBe(204);
    });
  });

  it("marks responses to an allowed origin readable, errors included, and exposes the split hash header", async () => {
    await withApp({ corsOrigins: [ALLOWED] }, async (app) => {
      const ok = await app.inject({
        method: "GET",
        url: "/api/v1/datasets",
        headers: { origin: ALLOWED, authorization: `Bearer ${token}` },
      });
      expect(ok.statusCode).toBe(200);
      expect(corsHeaders(ok)).toEqual({
        "access-control-allow-origin": ALLOWED,
        "access-control-expose-headers": "x-split-sha256",
      });
      expect(ok.headers.vary).toContain("Origin");
      const denied = await app.inject({
        method: "GET",
        url: "/api/v1/datasets",
        headers: { origin: ALLOWED },
      });
      expect(denied.statusCode).toBe(401);
      expect(denied.headers["access-control-allow-origin"]).toBe(ALLOWED);
      expect(denied.json().message).toBe(
        "missing 'Authorization: Bearer <token>' header (the local token is in $DQM_PLAYGROUND_HOME/token)",
      );
    });
  });

  it("gives a disallowed origin, or a request without an origin, no CORS header", async () => {
    await withApp({ corsOrigins: [ALLOWED] }, async (app) => {
      const pre = await preflight(app, OTHER);
      expect(pre.statusCode).toBe(404);
      expect(corsHeaders(pre)).toEqual({});
      const get = await app.inject({
        method: "GET",
        url: "/api/v1/datasets",
        headers: { origin: OTHER, authorization: `Bearer ${token}` },
      });
      expect([get.statusCode, corsHeaders(get)]).toEqual([200, {}]);
      const plain = await app.inject({
        method: "GET",
        url: "/api/v1/datasets",
        headers: { authorization: `Bearer ${token}` },
      });
      expect([plain.statusCode, corsHeaders(plain)]).toEqual([200, {}]);
    });
  });

  it("sends no CORS header at all when DQM_PLAYGROUND_CORS_ORIGINS is unset", async () => {
    delete process.env.DQM_PLAYGROUND_CORS_ORIGINS;
    await withApp({}, async (app) => {
      const pre = await preflight(app, ALLOWED);
      expect(pre.statusCode).toBe(404);
      expect(corsHeaders(pre)).toEqual({});
      const get = await app.inject({
        method: "GET",
        url: "/api/v1/datasets",
        headers: { origin: ALLOWED, authorization: `Bearer ${token}` },
      });
      expect([get.statusCode, corsHeaders(get)]).toEqual([200, {}]);
    });
  });

  it("reads the allow-list from DQM_PLAYGROUND_CORS_ORIGINS; * allows any origin", async () => {
    process.env.DQM_PLAYGROUND_CORS_ORIGINS = ` ${ALLOWED}/ , ,http://localhost:8888`;
    await withApp({}, async (app) => {
      expect((await preflight(app, ALLOWED)).headers["access-control-allow-origin"]).toBe(ALLOWED);
      expect((await preflight(app, OTHER)).headers["access-control-allow-origin"]).toBeUndefined();
    });
    process.env.DQM_PLAYGROUND_CORS_ORIGINS = "*";
    await withApp({}, async (app) => {
      expect((await preflight(app, OTHER)).headers["access-control-allow-origin"]).toBe(OTHER);
    });
  });

  it("parses the variable and refuses entries that are not origins", () => {
    expect(corsOriginsFromEnv({})).toEqual([]);
    expect(corsOriginsFromEnv({ DQM_PLAYGROUND_CORS_ORIGINS: "" })).toEqual([]);
    expect(
      corsOriginsFromEnv({ DQM_PLAYGROUND_CORS_ORIGINS: "https://a.cern.ch/, http://localhost:8888" }),
    ).toEqual(["https://a.cern.ch", "http://localhost:8888"]);
    expect(() =>
      corsOriginsFromEnv({ DQM_PLAYGROUND_CORS_ORIGINS: "https://a.cern.ch,swan.cern.ch" }),
    ).toThrow(
      "DQM_PLAYGROUND_CORS_ORIGINS: 'swan.cern.ch' is not an origin: expected scheme://host[:port], such as https://swan.cern.ch, or *",
    );
    expect(() => corsOriginsFromEnv({ DQM_PLAYGROUND_CORS_ORIGINS: "https://a.cern.ch/lab" })).toThrow(
      "'https://a.cern.ch/lab' is not an origin",
    );
  });
});
