import {
  type Backend,
  Pool as CorePool,
  type MapOptions,
  type PoolOptions,
  type PqdmResult,
  runPqdm,
  type Workers,
} from '@mtl/core';
import { type ProcessOptions, processOptionNames, processTransport } from './transport.js';

export * from '@mtl/core';
export type { ProcessOptions } from './transport.js';

const processes: Backend<ProcessOptions> = {
  name: 'processes',
  optionNames: processOptionNames,
  createTransport: processTransport,
};

/** Options of `pqdm` on child processes: a map's, the pool's, and the process options. */
export type ProcessPqdmOptions = MapOptions & PoolOptions & ProcessOptions;

/**
 * A pool of worker processes that serves many maps; see `Pool` in `@mtl/core`.
 *
 * @example
 * import { Pool, delayedInit } from '@mtl/processes';
 * // model.ts exports class Model; it is loaded in each worker
 * await using pool = new Pool(delayedInit(new URL('./model.js', import.meta.url), Model)('weights.bin'), { nJobs: 4 });
 * const out = await pool.map(inputs);
 */
export class Pool<O = unknown> extends CorePool<O, ProcessOptions> {
  constructor(workers: Workers<O>, options: ProcessPqdmOptions = {}) {
    super(workers, options, processes);
  }
}

/**
 * Maps `workers` over `inputs` on worker processes, streaming results with a progress bar.
 * `nJobs` defaults to the array's length, or to `os.availableParallelism()`; 1 runs in this thread.
 *
 * @example
 * import { pqdm } from '@mtl/processes';
 * const squares = await pqdm([1, 2, 3], (x: number) => x * x, 2);   // [1, 4, 9]
 * for await (const y of pqdm(lines(), parse, { ordered: false })) console.log(y);
 */
export function pqdm<O>(
  inputs: Iterable<unknown> | AsyncIterable<unknown>,
  workers: Workers<O>,
  nJobsOrOptions?: number | ProcessPqdmOptions,
  options?: ProcessPqdmOptions,
): PqdmResult<O> {
  return runPqdm(processes, inputs, workers, nJobsOrOptions, options);
}
