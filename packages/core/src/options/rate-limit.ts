import { checkCount, checkMilliseconds, checkRate, checkShorthand, keysOf } from './check.js';

/** At most `limit` items start per `interval` ms, evenly spaced; `burst` may start at once after a pause. */
export interface RateLimitOptions {
  limit: number;
  /** @default 1000 */
  interval?: number | undefined;
  /** @default 1 */
  burst?: number | undefined;
}

/** `rateLimit`: item starts per second, or `{ limit, interval, burst }`. */
export type RateLimit = number | RateLimitOptions;

export interface ResolvedRateLimit {
  limit: number;
  interval: number;
  burst: number;
}

const rateLimitNames = keysOf<RateLimitOptions>()(['limit', 'interval', 'burst']);

/** Validates `rateLimit`. */
export function resolveRateLimit(rateLimit: unknown): ResolvedRateLimit {
  const wanted = 'a number of starts per second or { limit, interval, burst }';
  const given = checkShorthand<RateLimitOptions>('rateLimit', rateLimit, 'limit', rateLimitNames, wanted);
  const { limit, interval = 1000, burst = 1 } = given;
  return {
    limit: checkRate('rateLimit', limit, 'a number of starts above 0'),
    interval: checkMilliseconds('rateLimit.interval', interval),
    burst: checkCount('rateLimit.burst', burst),
  };
}
