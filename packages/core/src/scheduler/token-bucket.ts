import type { ResolvedRateLimit } from '../options/rate-limit.js';

/**
 * `rateLimit`: a bucket of `burst` tokens refilled at `limit` per `interval`; each start takes one. With
 * the default burst of 1, starts are spaced evenly, so no window of `interval` ms holds more than
 * `limit + burst` of them.
 */
export class TokenBucket {
  #tokens: number;
  #at = performance.now();
  #perMs: number;
  #burst: number;

  constructor({ limit, interval, burst }: ResolvedRateLimit) {
    this.#tokens = burst;
    this.#burst = burst;
    this.#perMs = limit / interval;
  }

  /** Milliseconds until a start is allowed; 0 when one is allowed now. */
  wait(): number {
    const now = performance.now();
    this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#at) * this.#perMs);
    this.#at = now;
    return this.#tokens >= 1 ? 0 : Math.ceil((1 - this.#tokens) / this.#perMs);
  }

  /** A start happens now (after `wait()` said 0). */
  take(): void {
    this.#tokens -= 1;
  }
}

/** One timer that calls `wake` after the shortest wait asked for, for a dispatcher held back by a bucket. */
export class Alarm {
  #timer: NodeJS.Timeout | undefined;
  #at = 0;

  constructor(readonly wake: () => void) {}

  in(ms: number): void {
    const at = performance.now() + ms;
    if (this.#timer && this.#at <= at) return;
    clearTimeout(this.#timer);
    this.#at = at;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.wake();
    }, ms);
    this.#timer.unref();
  }

  cancel(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
