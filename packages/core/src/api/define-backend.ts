import type { PqdmResult } from '../result.js';
import type { Backend } from './backend.js';
import { Pool, type PqdmOptions, type Workers } from './pool.js';
import { runPqdm } from './pqdm.js';

/** A backend's `Pool` class: the core's, bound to the backend. */
export type BackendPool<BackendOptions extends object> = new <O = unknown>(
  /**
   * A pool of workers that serves many maps: workers are built once (with their state) and serve
   * every `map`, `run` and `tell`, several maps at once if you like. Close it with `close()` or `await using`.
   *
   * @example
   * import { Pool, delayedInit } from '@mtl/threads';
   * // model.ts exports class Model; it is loaded in each worker
   * await using pool = new Pool(delayedInit(new URL('./model.js', import.meta.url), Model)('weights.bin'), { nJobs: 4 });
   * const out = await pool.map(inputs);
   */
  workers: Workers<O>,
  options?: PqdmOptions<BackendOptions>,
) => Pool<O, BackendOptions>;

/** A backend's `pqdm`. */
// biome-ignore lint/style/useShorthandFunctionType: a call signature carries the doc comment users see on `pqdm`.
export type BackendPqdm<BackendOptions extends object> = {
  /**
   * pqdm's parallel map: maps `workers` over `inputs`, streaming results with a progress bar. The
   * result is an async iterable, a promise of the array, and sized (`length`). `nJobs` defaults to the
   * array's length, or to `os.availableParallelism()`; `nJobs: 1` runs in this thread.
   *
   * @example
   * import { pqdm } from '@mtl/threads';
   * const squares = await pqdm([1, 2, 3], (x: number) => x * x, 2);   // [1, 4, 9]
   * for await (const y of pqdm(lines(), parse, { ordered: false })) console.log(y);
   */
  <O>(
    inputs: Iterable<unknown> | AsyncIterable<unknown>,
    workers: Workers<O>,
    nJobsOrOptions?: number | PqdmOptions<BackendOptions>,
    options?: PqdmOptions<BackendOptions>,
  ): PqdmResult<O>;
};

/**
 * What a backend package exports, from its transport: `pqdm` and `Pool` bound to it. A backend
 * package is its transport, its worker entry, and this call.
 *
 * @example
 * const threads = defineBackend({ name: 'threads', optionNames: ['env'], createTransport: threadTransport });
 * export const pqdm = threads.pqdm;
 * export class Pool<O = unknown> extends threads.Pool<O> {}
 */
export function defineBackend<BackendOptions extends object>(
  backend: Backend<BackendOptions>,
): { pqdm: BackendPqdm<BackendOptions>; Pool: BackendPool<BackendOptions> } {
  class BoundPool<O = unknown> extends Pool<O, BackendOptions> {
    constructor(workers: Workers<O>, options: PqdmOptions<BackendOptions> = {} as PqdmOptions<BackendOptions>) {
      super(workers, options, backend);
    }
  }
  const pqdm: BackendPqdm<BackendOptions> = (inputs, workers, nJobsOrOptions, options) =>
    runPqdm(backend, inputs, workers, nJobsOrOptions, options);
  return { pqdm, Pool: BoundPool };
}
