import {
  type Backend,
  Pool as CorePool,
  type MapOptions,
  type PoolOptions,
  type PqdmResult,
  runPqdm,
  type Workers,
} from '@mtl/core';
import { type ThreadOptions, threadOptionNames, threadTransport } from './transport.js';

export * from '@mtl/core';
export type { ThreadOptions } from './transport.js';

const threads: Backend<ThreadOptions> = {
  name: 'threads',
  optionNames: threadOptionNames,
  createTransport: threadTransport,
};

/** Options of `pqdm` on threads: a map's, the pool's, and the thread options. */
export type ThreadPqdmOptions = MapOptions & PoolOptions & ThreadOptions;

/**
 * A pool of worker threads that serves many maps; see `Pool` in `@mtl/core`.
 *
 * @example
 * import { Pool, delayedInit } from '@mtl/threads';
 * // model.ts exports class Model; it is loaded in each worker
 * await using pool = new Pool(delayedInit(new URL('./model.js', import.meta.url), Model)('weights.bin'), { nJobs: 4 });
 * const out = await pool.map(inputs);
 */
export class Pool<O = unknown> extends CorePool<O, ThreadOptions> {
  constructor(workers: Workers<O>, options: ThreadPqdmOptions = {}) {
    super(workers, options, threads);
  }
}

/**
 * Maps `workers` over `inputs` on worker threads, streaming results with a progress bar.
 * `nJobs` defaults to the array's length, or to `os.availableParallelism()`; 1 runs in this thread.
 *
 * @example
 * import { pqdm } from '@mtl/threads';
 * const squares = await pqdm([1, 2, 3], (x: number) => x * x, 2);   // [1, 4, 9]
 * for await (const y of pqdm(lines(), parse, { ordered: false })) console.log(y);
 */
export function pqdm<O>(
  inputs: Iterable<unknown> | AsyncIterable<unknown>,
  workers: Workers<O>,
  nJobsOrOptions?: number | ThreadPqdmOptions,
  options?: ThreadPqdmOptions,
): PqdmResult<O> {
  return runPqdm(threads, inputs, workers, nJobsOrOptions, options);
}
