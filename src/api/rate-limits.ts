import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/** Requests per second allowed to one caller; each can be set from the environment. */
export interface RateLimits {
  /** Per API key (identified by its public prefix, never the secret). */
  readonly perKeyPerSecond: number;
  /** Per client address, for requests without an API key. */
  readonly perAddressPerSecond: number;
  /**
   * Key checks (a scrypt each) per key prefix per minute; past it that prefix is not checked for
   * the rest of the minute. A verified key is remembered for 30 s, so its owner needs about 2 a
   * minute; a flood of wrong secrets for a known key costs at most this many scrypt runs, however
   * many arrive at once, and other keys are never held up by it.
   */
  readonly keyChecksPerMinute: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { perKeyPerSecond: 5000, perAddressPerSecond: 100, keyChecksPerMinute: 20 };

/**
 * Rate limiting with rate-limiter-flexible's in-memory counters (one process; a deployment of
 * several servers would use its Redis or PostgreSQL store instead). The answer is the number of
 * seconds to wait (for Retry-After), or null when the request may proceed.
 */
export class RequestRateLimits {
  readonly #byKey: RateLimiterMemory;
  readonly #byAddress: RateLimiterMemory;
  readonly #keyChecks: RateLimiterMemory;

  constructor(limits: RateLimits) {
    this.#byKey = new RateLimiterMemory({ points: limits.perKeyPerSecond, duration: 1 });
    this.#byAddress = new RateLimiterMemory({ points: limits.perAddressPerSecond, duration: 1 });
    this.#keyChecks = new RateLimiterMemory({ points: limits.keyChecksPerMinute, duration: 60 });
  }

  forKey(prefix: string): Promise<number | null> {
    return consume(this.#byKey, prefix);
  }

  forAddress(address: string): Promise<number | null> {
    return consume(this.#byAddress, address);
  }

  /** Counts a key check about to run for this prefix: null when it may, else the seconds until it may. */
  keyCheck(prefix: string): Promise<number | null> {
    return consume(this.#keyChecks, prefix);
  }
}

async function consume(limiter: RateLimiterMemory, key: string): Promise<number | null> {
  try {
    await limiter.consume(key);
    return null;
  } catch (refusal) {
    if (refusal instanceof RateLimiterRes) return Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
    throw refusal;
  }
}
