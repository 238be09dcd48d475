import type { PqdmOptions } from '@mtl/core';
import { defineBackend } from '@mtl/core/backend';
import { type ThreadOptions, threadOptionNames, threadTransport } from './transport.js';

export * from '@mtl/core';
export type { ThreadOptions } from './transport.js';

const threads = defineBackend<ThreadOptions>({
  name: 'threads',
  optionNames: threadOptionNames,
  createTransport: threadTransport,
});

/** Options of `pqdm` and `new Pool` on threads: a map's, the pool's, and the thread options. */
export type ThreadPqdmOptions = PqdmOptions<ThreadOptions>;

/**
 * Maps `workers` over `inputs` on worker threads, streaming results with a progress bar.
 * `nJobs` defaults to the array's length, or to `os.availableParallelism()`; `nJobs: 1` runs in this thread.
 *
 * @example
 * import { pqdm } from '@mtl/threads';
 * const squares = await pqdm([1, 2, 3], (x: number) => x * x, 2);   // [1, 4, 9]
 * for await (const y of pqdm(lines(), parse, { ordered: false })) console.log(y);
 */
export const pqdm = threads.pqdm;

/**
 * A pool of worker threads that serves many maps: workers are built once (with their state).
 *
 * @example
 * import { Pool, delayedInit } from '@mtl/threads';
 * // model.ts exports class Model; it is loaded in each worker
 * await using pool = new Pool(delayedInit(new URL('./model.js', import.meta.url), Model)('weights.bin'), { nJobs: 4 });
 * const out = await pool.map(inputs);
 */
export class Pool<O = unknown> extends threads.Pool<O> {}
