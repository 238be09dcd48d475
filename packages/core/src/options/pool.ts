import { checkBoolean, checkCount, checkMilliseconds, keysOf } from './check.js';
import { type RateLimit, type ResolvedRateLimit, resolveRateLimit } from './rate-limit.js';

/** Options of a pool of workers (also accepted by `pqdm`). */
export interface PoolOptions {
  /**
   * The number of workers. Default: the length of the spec array, or `os.availableParallelism()`.
   * `nJobs: 1` runs the map in the calling thread (see `inline`). Workers start when a map needs
   * them, never more than the items of a sized input. At most 256 (or `MTL_MAX_JOBS` in the environment).
   */
  nJobs?: number;
  /**
   * Run in the calling thread instead of in workers: closures work, nothing is cloned, a debugger
   * steps in; a crash takes the program down with it. Default: true only when you give `nJobs: 1`;
   * `{ nJobs: 1, inline: false }` gives one real worker (isolation on @mtl/processes).
   */
  inline?: boolean;
  /**
   * Milliseconds a worker is given to finish its current item and run `close()` when it is stopped,
   * before it is killed.
   * @default 10000
   */
  closeTimeout?: number;
  /**
   * Milliseconds a worker may take to start and be built (its module loaded, its `delayedInit`
   * constructor run). Past it the construction counts as failed: the worker is replaced, and three
   * failures in a row end the map with an error.
   * @default 60000
   */
  initTimeout?: number;
  /**
   * Replaces a worker with a fresh one (built again from its spec) after it has run this many items:
   * the remedy for libraries that leak, as `maxtasksperchild` is in Python.
   */
  maxTasksPerWorker?: number;
  /**
   * Items an async worker runs at once (piscina's name): for I/O-bound tasks, a few workers can each
   * wait on many requests. A stateful instance's `call` may then overlap with itself.
   * @default 1
   */
  concurrentTasksPerWorker?: number;
  /**
   * Paces when items start, across every map of the pool: starts per second, or
   * `{ limit, interval, burst }`. (A map's own `rateLimit` paces that map.)
   */
  rateLimit?: RateLimit;
}

export const poolOptionNames = keysOf<PoolOptions>()([
  'nJobs',
  'inline',
  'closeTimeout',
  'initTimeout',
  'maxTasksPerWorker',
  'concurrentTasksPerWorker',
  'rateLimit',
]);

export interface ResolvedPoolOptions {
  closeTimeout: number;
  initTimeout: number;
  /** Infinity when not set. */
  maxTasksPerWorker: number;
  concurrentTasksPerWorker: number;
  rateLimit: ResolvedRateLimit | undefined;
}

/** The most workers a pool starts unless the environment raises it: each is a thread or a process with its own heap. */
export const JOBS_CEILING = 256;

/** Checks a worker count against the ceiling, with the way past it. */
export function checkJobs(nJobs: number): number {
  const raised = Number(process.env.MTL_MAX_JOBS);
  const ceiling = Number.isInteger(raised) && raised > 0 ? raised : JOBS_CEILING;
  if (nJobs <= ceiling) return nJobs;
  throw new RangeError(
    `Expected \`nJobs\` to be at most ${ceiling}, got \`${nJobs}\`: each worker is a thread or a process with its own memory. For many async tasks at once, use fewer workers; to go past ${ceiling}, set MTL_MAX_JOBS=${nJobs} in the environment.`,
  );
}

/** Whether the map runs in the calling thread: only when asked, by `inline: true` or by `nJobs: 1` given. */
export function resolveInline(options: PoolOptions): boolean {
  if (options.inline !== undefined) return checkBoolean('inline', options.inline);
  return options.nJobs === 1;
}

/** Validates the pool-level options common to every backend. */
export function resolvePoolOptions(options: PoolOptions): ResolvedPoolOptions {
  const { closeTimeout = 10_000, initTimeout = 60_000, maxTasksPerWorker, concurrentTasksPerWorker = 1 } = options;
  return {
    concurrentTasksPerWorker: checkCount('concurrentTasksPerWorker', concurrentTasksPerWorker),
    rateLimit: options.rateLimit === undefined ? undefined : resolveRateLimit(options.rateLimit),
    closeTimeout: checkMilliseconds('closeTimeout', closeTimeout),
    initTimeout: checkMilliseconds('initTimeout', initTimeout),
    maxTasksPerWorker:
      maxTasksPerWorker === undefined ? Number.POSITIVE_INFINITY : checkCount('maxTasksPerWorker', maxTasksPerWorker),
  };
}
