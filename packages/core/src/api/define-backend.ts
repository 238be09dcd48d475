import type { PqdmResult } from '../result.js';
import type { InputOf, ModeOf, OutputOf, Workers, Yielded } from '../types.js';
import type { Backend } from './backend.js';
import { Pool, type PqdmOptions } from './pool.js';
import { runPqdm } from './pqdm.js';

/** A backend's `Pool` class: the core's, bound to the backend. */
export interface BackendPool<BackendOptions extends object> {
  /**
   * A pool of workers that serves many maps: workers are built once (with their state) and serve
   * every `map`, `run` and `tell`, several maps at once if you like. Close it with `close()` or
   * `await using`. Its types follow the workers: `Pool<I, O>` takes items `I` and returns `O`.
   *
   * @example
   * import { Pool, delayedInit } from '@mtl/threads';
   * // model.ts exports class Model; it is loaded in each worker
   * await using pool = new Pool(delayedInit(new URL('./model.js', import.meta.url), Model)('weights.bin'), { nJobs: 4 });
   * const out = await pool.map(inputs);
   */
  new <W extends Workers, const Options extends PqdmOptions<BackendOptions> = PqdmOptions<BackendOptions>>(
    workers: W,
    options?: Options,
  ): Pool<InputOf<W, Options>, OutputOf<W>, BackendOptions>;
  /** What a subclass (`class Mine extends Pool {}`) inherits. */
  new (workers: Workers, options?: PqdmOptions<BackendOptions>): Pool<unknown, unknown, BackendOptions>;
  readonly prototype: Pool<unknown, unknown, BackendOptions>;
}

/** A backend's `pqdm`. */
export type BackendPqdm<BackendOptions extends object> = {
  /**
   * pqdm's parallel map: maps `workers` over `inputs`, streaming results with a progress bar. The
   * result is an async iterable, a promise of the array, and sized (`length`); its items are the
   * workers' results, and — unless `exceptionBehaviour: 'immediate'` — the errors of failed items
   * in their places. `nJobs` defaults to the array's length, or to `os.availableParallelism()`;
   * `nJobs: 1` runs in this thread.
   *
   * @example
   * import { isException, pqdm } from '@mtl/threads';
   * const squares = await pqdm([1, 2, 3], (x: number) => x * x, 2);   // (number | Error)[]
   * const sure = await pqdm([1, 2, 3], (x: number) => x * x, { exceptionBehaviour: 'immediate' }); // number[]
   * for await (const y of pqdm(lines(), parse, { ordered: false })) if (!isException(y)) console.log(y);
   */
  // biome-ignore lint/style/useShorthandFunctionType: a call signature carries the doc comment users see on `pqdm`.
  <W extends Workers, const Options extends PqdmOptions<BackendOptions> = PqdmOptions<BackendOptions>>(
    inputs: Iterable<InputOf<W, Options>> | AsyncIterable<InputOf<W, Options>>,
    workers: W,
    nJobsOrOptions?: number | Options,
    options?: Options,
  ): PqdmResult<Yielded<OutputOf<W>, ModeOf<Options>>>;
};

/**
 * What a backend package exports, from its transport: `pqdm` and `Pool` bound to it. A backend
 * package is its transport, its worker entry, and this call.
 *
 * @example
 * const threads = defineBackend({ name: 'threads', optionNames: ['env'], createTransport: threadTransport });
 * export const { pqdm, Pool } = threads;
 * export type Pool<I = unknown, O = unknown> = PoolOf<I, O, ThreadOptions>;
 */
export function defineBackend<BackendOptions extends object>(
  backend: Backend<BackendOptions>,
): { pqdm: BackendPqdm<BackendOptions>; Pool: BackendPool<BackendOptions> } {
  class BoundPool extends Pool<unknown, unknown, BackendOptions> {
    constructor(workers: Workers, options: PqdmOptions<BackendOptions> = {} as PqdmOptions<BackendOptions>) {
      super(workers, options, backend);
    }
  }
  const pqdm = ((inputs, workers, nJobsOrOptions, options) =>
    runPqdm(backend, inputs, workers, nJobsOrOptions, options)) as BackendPqdm<BackendOptions>;
  return { pqdm, Pool: BoundPool as unknown as BackendPool<BackendOptions> };
}
