import type { PqdmOptions } from '@mtl/core';
import { defineBackend } from '@mtl/core/backend';
import { type ProcessOptions, processOptionNames, processTransport } from './transport.js';

export * from '@mtl/core';
export type { ProcessOptions } from './transport.js';

const processes = defineBackend<ProcessOptions>({
  name: 'processes',
  optionNames: processOptionNames,
  createTransport: processTransport,
});

/** Options of `pqdm` and `new Pool` on processes: a map's, the pool's, and the process options. */
export type ProcessPqdmOptions = PqdmOptions<ProcessOptions>;

/**
 * Maps `workers` over `inputs` on worker processes (child_process), streaming results with a progress bar.
 * `nJobs` defaults to the array's length, or to `os.availableParallelism()`; `nJobs: 1` runs in this thread.
 *
 * @example
 * import { pqdm } from '@mtl/processes';
 * const squares = await pqdm([1, 2, 3], (x: number) => x * x, 2);   // [1, 4, 9]
 * for await (const y of pqdm(lines(), parse, { ordered: false })) console.log(y);
 */
export const pqdm = processes.pqdm;

/**
 * A pool of worker processes that serves many maps: workers are built once (with their state).
 *
 * @example
 * import { Pool, delayedInit } from '@mtl/processes';
 * // model.ts exports class Model; it is loaded in each worker
 * await using pool = new Pool(delayedInit(new URL('./model.js', import.meta.url), Model)('weights.bin'), { nJobs: 4 });
 * const out = await pool.map(inputs);
 */
export class Pool<O = unknown> extends processes.Pool<O> {}
