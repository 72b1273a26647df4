/**
 * Brute-force brake on tokens: an address that fails authentication too often in a window gets 429 for
 * every request until the window ends, before any token of it is checked (else a correct guess would
 * still get through and the throttle would only tell the attacker which guesses are wrong).
 *
 * Written by hand because @fastify/rate-limit counts every request of a key and cannot count only
 * failures while refusing before the token check. Clients with valid tokens are never counted, so
 * they are slowed only when they share an address with an attacker (a NAT), for the rest of one window.
 */

export interface AuthThrottleOptions {
  /** Failed authentications an address may make per window. */
  maxFailures: number;
  windowMs: number;
  /** Addresses remembered at most (the oldest are forgotten first): memory stays bounded under a flood. */
  maxAddresses?: number;
  now?: () => number;
}

export class AuthThrottle {
  private readonly failures = new Map<string, { count: number; resetAt: number }>();
  private readonly maxAddresses: number;
  private readonly now: () => number;

  constructor(private readonly opts: AuthThrottleOptions) {
    this.maxAddresses = opts.maxAddresses ?? 100_000;
    this.now = opts.now ?? Date.now;
  }

  /** Seconds until `address` may try again; 0 when it may now. */
  blockedFor(address: string): number {
    const entry = this.failures.get(address);
    if (!entry) return 0;
    const now = this.now();
    if (now >= entry.resetAt) {
      this.failures.delete(address);
      return 0;
    }
    return entry.count >= this.opts.maxFailures ? Math.ceil((entry.resetAt - now) / 1000) : 0;
  }

  /** Counts one failed authentication of `address`. */
  fail(address: string): void {
    const now = this.now();
    const entry = this.failures.get(address);
    if (entry && now < entry.resetAt) {
      entry.count++;
      return;
    }
    this.failures.delete(address);
    if (this.failures.size >= this.maxAddresses) {
      const oldest = this.failures.keys().next().value;
      if (oldest !== undefined) this.failures.delete(oldest);
    }
    this.failures.set(address, { count: 1, resetAt: now + this.opts.windowMs });
  }
}

/** The service's setting: 30 failed authentications per address per minute. */
export const AUTH_FAILURES_PER_MINUTE = 30;
