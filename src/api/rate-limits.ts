import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/** Requests per second allowed to one caller; each can be set from the environment. */
export interface RateLimits {
  /** Per API key (identified by its public prefix, never the secret). */
  readonly perKeyPerSecond: number;
  /** Per client address, for requests without an API key. */
  readonly perAddressPerSecond: number;
  /**
   * Failed checks per key prefix per minute, after which that prefix is not checked at all for the
   * rest of the minute: a flood of wrong secrets for a known key costs one scrypt each up to here,
   * then nothing, and other keys are never held up by it.
   */
  readonly failedKeysPerMinute: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { perKeyPerSecond: 5000, perAddressPerSecond: 100, failedKeysPerMinute: 20 };

/**
 * Rate limiting with rate-limiter-flexible's in-memory counters (one process; a deployment of
 * several servers would use its Redis or PostgreSQL store instead). The answer is the number of
 * seconds to wait (for Retry-After), or null when the request may proceed.
 */
export class RequestRateLimits {
  readonly #byKey: RateLimiterMemory;
  readonly #byAddress: RateLimiterMemory;
  readonly #failedKeys: RateLimiterMemory;

  constructor(limits: RateLimits) {
    this.#byKey = new RateLimiterMemory({ points: limits.perKeyPerSecond, duration: 1 });
    this.#byAddress = new RateLimiterMemory({ points: limits.perAddressPerSecond, duration: 1 });
    this.#failedKeys = new RateLimiterMemory({ points: limits.failedKeysPerMinute, duration: 60 });
  }

  forKey(prefix: string): Promise<number | null> {
    return consume(this.#byKey, prefix);
  }

  forAddress(address: string): Promise<number | null> {
    return consume(this.#byAddress, address);
  }

  /** Seconds until keys with this prefix are checked again, or null when they may be now. */
  async keyChecksBlocked(prefix: string): Promise<number | null> {
    const state = await this.#failedKeys.get(prefix);
    return state && state.remainingPoints <= 0 ? Math.max(1, Math.ceil(state.msBeforeNext / 1000)) : null;
  }

  async keyCheckFailed(prefix: string): Promise<void> {
    await consume(this.#failedKeys, prefix);
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
