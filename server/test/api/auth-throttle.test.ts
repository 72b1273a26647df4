/**
 * The brake on token guessing (issue 13, item 11): an address that keeps failing authentication gets
 * 429 for everything, before its tokens are checked; valid clients elsewhere are not slowed.
 */
import { AUTH_FAILURES_PER_MINUTE, AuthThrottle } from "../../src/api/auth-throttle";
import { testEngines } from "../helpers/stores";
import { fixtureApp } from "../helpers/task-fixture";

describe("AuthThrottle", () => {
  test("blocks an address after maxFailures in a window, until the window ends", () => {
    let now = 1_000_000;
    const t = new AuthThrottle({ maxFailures: 3, windowMs: 60_000, now: () => now });
    for (let i = 0; i < 3; i++) {
      expect(t.blockedFor("a")).toBe(0);
      t.fail("a");
    }
    expect(t.blockedFor("a")).toBe(60);
    expect(t.blockedFor("b")).toBe(0);
    now += 59_001;
    expect(t.blockedFor("a")).toBe(1);
    now += 1_000;
    expect(t.blockedFor("a")).toBe(0);
    t.fail("a");
    expect(t.blockedFor("a")).toBe(0);
  });

  test("remembers a bounded number of addresses, forgetting the oldest", () => {
    const t = new AuthThrottle({ maxFailures: 1, windowMs: 60_000, maxAddresses: 2, now: () => 0 });
    t.fail("a");
    t.fail("b");
    t.fail("c");
    expect([t.blockedFor("a"), t.blockedFor("b"), t.blockedFor("c")]).toEqual([0, 60, 60]);
  });
});

describe.each(testEngines())("failed authentication on %s", (engine) => {
  const f = fixtureApp(engine);

  const get = (token: string, remoteAddress: string) =>
    f.app.inject({
      method: "GET",
      url: "/api/v1/tasks",
      remoteAddress,
      headers: { authorization: `Bearer ${token}` },
    });

  test("guessing tokens from one address is stopped; other clients are not slowed", async () => {
    const attacker = "203.0.113.7";
    for (let i = 0; i < AUTH_FAILURES_PER_MINUTE; i++)
      expect((await get(`guess-${i}`, attacker)).statusCode).toBe(401);
    const blocked = await get("guess-last", attacker);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json()).toMatchObject({ statusCode: 429, error: "Too Many Requests" });
    expect(Number(blocked.headers["retry-after"])).toBeGreaterThan(0);
    // A right guess from that address is refused too: the throttle gives away nothing.
    expect((await get(f.tokens.alice, attacker)).statusCode).toBe(429);
    // A valid client elsewhere goes on as before.
    expect((await get(f.tokens.alice, "198.51.100.20")).statusCode).toBe(200);
    // Public routes stay public.
    const health = await f.app.inject({ method: "GET", url: "/api/v1/health", remoteAddress: attacker });
    expect(health.statusCode).toBe(200);
  });
});
