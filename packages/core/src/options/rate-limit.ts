import { describeValue } from '../describe.js';
import { checkCount, checkMilliseconds, checkObject, keysOf } from './check.js';
import { checkKnownKeys } from './suggest.js';

/** At most `limit` items start per `interval` ms, evenly spaced; `burst` may start at once after a pause. */
export interface RateLimitOptions {
  limit: number;
  /** @default 1000 */
  interval?: number;
  /** @default 1 */
  burst?: number;
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
  if (typeof rateLimit === 'number') return resolveRateLimit({ limit: rateLimit });
  const given = checkObject(rateLimit, 'rateLimit') as Partial<RateLimitOptions>;
  checkKnownKeys(given, rateLimitNames, 'rateLimit');
  if (given.limit === undefined) {
    throw new TypeError(
      `Expected \`rateLimit\` to be a number of starts per second or { limit, interval, burst }, got ${describeValue(rateLimit)}`,
    );
  }
  const { limit, interval = 1000, burst = 1 } = given;
  if (typeof limit !== 'number' || !(limit > 0) || limit === Number.POSITIVE_INFINITY) {
    throw new (typeof limit === 'number' ? RangeError : TypeError)(
      `Expected \`rateLimit\` to be a number of starts above 0, got ${describeValue(limit)}`,
    );
  }
  return {
    limit,
    interval: checkMilliseconds('rateLimit.interval', interval),
    burst: checkCount('rateLimit.burst', burst),
  };
}
