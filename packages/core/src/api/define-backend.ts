import type { PqdmResult } from '../result.js';
import type { Backend } from './backend.js';
import { Pool, type PqdmOptions, type Workers } from './pool.js';
import { runPqdm } from './pqdm.js';

/** A backend's `Pool` class: the core's, bound to the backend. */
export type BackendPool<BackendOptions extends object> = new <O = unknown>(
  workers: Workers<O>,
  options?: PqdmOptions<BackendOptions>,
) => Pool<O, BackendOptions>;

/** A backend's `pqdm`. */
export type BackendPqdm<BackendOptions extends object> = <O>(
  inputs: Iterable<unknown> | AsyncIterable<unknown>,
  workers: Workers<O>,
  nJobsOrOptions?: number | PqdmOptions<BackendOptions>,
  options?: PqdmOptions<BackendOptions>,
) => PqdmResult<O>;

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
