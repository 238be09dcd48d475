import { TaskTimeoutError, WorkerCrashedError } from '../errors/classes.js';
import {
  checkBoolean,
  checkFunction,
  checkMilliseconds,
  checkPositive,
  checkShorthand,
  checkWholeNumber,
  keysOf,
  MAX_TIMER_MS,
} from './check.js';

/** How failed items are tried again: p-retry's names, defaults and backoff. */
export interface RetryOptions {
  /** Attempts after the first. */
  retries: number;
  /** Milliseconds before the first retry. @default 1000 */
  minTimeout?: number | undefined;
  /** The longest wait between two attempts, in milliseconds. @default Infinity */
  maxTimeout?: number | undefined;
  /** Each wait is this many times the one before. @default 2 */
  factor?: number | undefined;
  /** Multiply each wait by a random number from 1 to 2, so that retries do not march in step. @default false */
  randomize?: boolean | undefined;
  /**
   * Whether to try again after `error`, which ended attempt `attempt` (from 1). Default: errors the task
   * threw; a `WorkerCrashedError` or `TaskTimeoutError` only when this says so (the work that was
   * killed may have had side effects).
   */
  shouldRetry?: ((error: Error, attempt: number) => boolean) | undefined;
}

/** `retry`: the number of retries (with p-retry's default waits), or the whole policy. */
export type Retry = number | RetryOptions;

export interface ResolvedRetry {
  retries: number;
  minTimeout: number;
  maxTimeout: number;
  factor: number;
  randomize: boolean;
  shouldRetry: (error: Error, attempt: number) => boolean;
}

const retryNames = keysOf<RetryOptions>()([
  'retries',
  'minTimeout',
  'maxTimeout',
  'factor',
  'randomize',
  'shouldRetry',
]);

/** Errors the task threw: not the ones mtl made when it killed or lost a worker. */
const thrownByTask = (error: Error) => !(error instanceof WorkerCrashedError || error instanceof TaskTimeoutError);

/** Validates `retry`; undefined when there is none (0 retries included). */
export function resolveRetry(retry: unknown): ResolvedRetry | undefined {
  const wanted = 'a number of retries or { retries, ... }';
  const given = checkShorthand<RetryOptions>('retry', retry, 'retries', retryNames, wanted);
  const retries = checkWholeNumber('retry.retries', given.retries);
  const { minTimeout = 1000, maxTimeout = Number.POSITIVE_INFINITY, factor = 2, randomize = false } = given;
  if (minTimeout !== 0) checkMilliseconds('retry.minTimeout', minTimeout);
  checkPositive('retry.maxTimeout', maxTimeout); // Infinity: no cap, as in p-retry
  checkPositive('retry.factor', factor);
  checkBoolean('retry.randomize', randomize);
  if (given.shouldRetry !== undefined) checkFunction('retry.shouldRetry', given.shouldRetry);
  if (retries === 0) return undefined;
  return { retries, minTimeout, maxTimeout, factor, randomize, shouldRetry: given.shouldRetry ?? thrownByTask };
}

/** Milliseconds to wait before retry number `retry` (from 1), by p-retry's formula. */
export function retryDelay({ minTimeout, maxTimeout, factor, randomize }: ResolvedRetry, retry: number): number {
  const random = randomize ? Math.random() + 1 : 1;
  return Math.min(Math.round(random * minTimeout * factor ** (retry - 1)), maxTimeout, MAX_TIMER_MS);
}
