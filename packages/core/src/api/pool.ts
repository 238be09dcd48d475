import { checkObject } from '../options/check.js';
import { type MapOptions, type ResolvedMapOptions, resolveMapOptions } from '../options/map.js';
import type { PoolOptions } from '../options/pool.js';
import { checkKnownKeys } from '../options/suggest.js';
import { PqdmResult } from '../result.js';
import { checkIterable } from '../scheduler/input.js';
import { MapRun } from '../scheduler/map-run.js';
import type { PoolCore } from '../scheduler/pool-core.js';
import type { ModeOf, Workers, Yielded } from '../types.js';
import type { Backend } from './backend.js';
import { createCore } from './create-core.js';
import { checkMapKeys, splitOptions } from './split-options.js';

/** Options of `pool.run`. */
export type RunOptions = Pick<MapOptions, 'signal' | 'taskTimeout' | 'retry'>;
const runOptionNames = ['signal', 'taskTimeout', 'retry'] as const satisfies readonly (keyof RunOptions)[];

/** Options of `pqdm` and of `new Pool`: those of a map, those of the pool, and the backend's own. */
export type PqdmOptions<BackendOptions extends object = object> = MapOptions & PoolOptions & BackendOptions;

/**
 * A pool of workers that outlives one map: workers are built once (with their state) and serve
 * every `map`, several at once if you like. Close it with `close()` or `await using`.
 * Idle workers do not keep the process alive.
 *
 * @example
 * // model.ts exports class Model; it is loaded in each worker
 * await using pool = new Pool(delayedInit(new URL('./model.js', import.meta.url), Model)('weights.bin'), { nJobs: 4 });
 * const a = await pool.map(batchA);
 * for await (const y of pool.map(streamB, { ordered: false })) use(y);
 */
export class Pool<I = unknown, O = unknown, BackendOptions extends object = object> implements AsyncDisposable {
  #core: PoolCore;
  #backend: Backend<BackendOptions>;
  #defaults: ResolvedMapOptions;

  /** @internal Backends bind this constructor to themselves (`defineBackend`). */
  constructor(workers: Workers, options: PqdmOptions<BackendOptions> | undefined, backend: Backend<BackendOptions>) {
    const split = splitOptions(checkObject(options, 'options'), backend, 'new Pool');
    // Keys are positions in a map's input: maps of one Pool sharing a file would read each other's results.
    if (split.map.checkpoint !== undefined) {
      throw new TypeError(
        '`checkpoint` is an option of each map, not of a Pool: give it to pool.map(inputs, { checkpoint }) (or to pqdm)',
      );
    }
    this.#defaults = resolveMapOptions(split.map);
    this.#backend = backend;
    this.#core = createCore(backend, workers, split, false);
  }

  /** The number of workers. */
  get nJobs(): number {
    return this.#core.nJobs;
  }

  /**
   * Maps the pool's workers over `inputs`. Lazy: nothing is read before the result is iterated or awaited.
   *
   * @example
   * const squares = await pool.map([1, 2, 3]);
   */
  map<const Options extends MapOptions = MapOptions>(
    inputs: Iterable<I> | AsyncIterable<I>,
    options?: Options,
  ): PqdmResult<Yielded<O, ModeOf<Options>>> {
    const given = checkObject(options, 'options');
    checkMapKeys(given, this.#backend);
    checkIterable(inputs);
    return new PqdmResult(new MapRun(this.#core, inputs, resolveMapOptions(given, this.#defaults)));
  }

  /**
   * Runs one item now (eagerly, as `apply_async` or piscina's `run`): a promise of its result, which
   * rejects with its error. Several runs at once share the pool's workers with its maps.
   *
   * @example
   * const [a, b] = await Promise.all([pool.run(1), pool.run(2, { taskTimeout: 1000 })]);
   */
  run(item: I, options?: RunOptions): Promise<O> {
    const given = checkObject(options, 'options');
    checkKnownKeys(given, runOptionNames, 'pool.run');
    const resolved = resolveMapOptions(given, this.#defaults);
    const single = {
      ...resolved,
      exceptionBehaviour: 'immediate',
      progress: false,
      onProgress: undefined,
      onResult: undefined,
    } as const;
    return new PqdmResult<O>(new MapRun(this.#core, [item], single)).then((values) => values[0]);
  }

  /**
   * Sends `value` to every worker; a stateful instance receives it in its `listen(value)` method, as
   * soon as its worker is free to (between two items, or while an async item waits). Each worker gets
   * the values in the order they were told; a worker started later (a replacement) does not get them.
   *
   * @example
   * pool.tell({ threshold: 0.8 }); // class Model { listen(settings) { this.threshold = settings.threshold } }
   */
  tell(value: unknown): void {
    this.#core.tell(value);
  }

  /**
   * Stops every worker after its current item, running each instance's `close()`. Maps still running
   * fail. Resolves to what each worker's `close()` returned (undefined for one without it), by worker.
   *
   * @example
   * const counts = await pool.close(); // class Counter { close() { return this.count } }
   */
  close(): Promise<unknown[]> {
    return this.#core.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
