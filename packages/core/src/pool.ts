import { availableParallelism } from 'node:os';
import type { Backend } from './backend.js';
import { describeValue } from './errors.js';
import { inProcessTransport } from './local.js';
import {
  checkCount,
  checkKnownKeys,
  type MapOptions,
  mapOptionNames,
  type PoolOptions,
  pick,
  poolOptionNames,
  resolveMapOptions,
  resolvePoolOptions,
} from './options.js';
import { PqdmResult } from './result.js';
import { loadingWorkerModule } from './runtime/load.js';
import { checkIterable } from './scheduler/input.js';
import { MapRun, type RunHost } from './scheduler/map-run.js';
import { PoolCore } from './scheduler/pool-core.js';
import { type ResolvedSpec, resolveSpec, type WorkerInput } from './spec.js';

/** A worker spec or an array of them (one per worker, each with its own init args). */
export type Workers<O> = WorkerInput<O> | readonly WorkerInput<O>[];

/** How long an aborted map gives its workers to finish the current item before they are killed. */
const ABORT_GRACE_MS = 500;

const checkObject = (value: unknown, name: string): object => {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`Expected \`${name}\` to be an object of options, got ${describeValue(value)}`);
  }
  return value;
};

/** One spec per worker: an array as given, or one spec repeated `nJobs` times. */
export function resolveWorkers(workers: unknown, nJobs: unknown): ResolvedSpec[] {
  if (Array.isArray(workers)) {
    if (workers.length === 0) throw new RangeError('Expected at least one worker spec, got an empty array');
    if (nJobs !== undefined && nJobs !== workers.length) {
      throw new RangeError(
        `\`nJobs\` (${describeValue(nJobs)}) does not match the number of worker specs (${workers.length}): leave nJobs out, or give one spec per worker`,
      );
    }
    return workers.map((worker, i) => resolveSpec(worker, `worker ${i}`));
  }
  const count = nJobs === undefined ? availableParallelism() : checkCount('nJobs', nJobs);
  const spec = resolveSpec(workers, 'worker');
  return Array.from({ length: count }, () => spec);
}

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
export class Pool<O = unknown, BackendOptions extends object = object> implements AsyncDisposable {
  #core: PoolCore;
  #defaults: MapOptions;
  #runs = new Set<MapRun>();

  /** @internal Backends bind this constructor to their transport. */
  constructor(
    workers: Workers<O>,
    options: PoolOptions & MapOptions & BackendOptions,
    backend: Backend<BackendOptions>,
  ) {
    if ((globalThis as Record<symbol, unknown>)[loadingWorkerModule]) {
      throw new Error(
        'mtl: a map was started while a worker was importing its worker module, which would start workers without end. Keep worker functions and classes in a module of their own, which does not start a map when imported.',
      );
    }
    const all = checkObject(options, 'options') as PoolOptions & MapOptions & BackendOptions;
    checkKnownKeys(all, [...poolOptionNames, ...backend.optionNames, ...mapOptionNames], `new Pool (${backend.name})`);
    const specs = resolveWorkers(workers, all.nJobs);
    const poolOptions = resolvePoolOptions(all);
    this.#defaults = pick(all, mapOptionNames) as MapOptions;
    resolveMapOptions(this.#defaults);
    const transport =
      specs.length === 1
        ? inProcessTransport
        : backend.createTransport(pick(all, backend.optionNames) as BackendOptions);
    this.#core = new PoolCore(transport, specs, poolOptions);
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
  map(inputs: Iterable<unknown> | AsyncIterable<unknown>, options?: MapOptions): PqdmResult<O> {
    const given = checkObject(options, 'options');
    for (const key of Object.keys(given)) {
      if ((poolOptionNames as readonly string[]).includes(key)) {
        throw new TypeError(
          `\`${key}\` is an option of the Pool, not of a map: pass it to \`new Pool(workers, { ${key} })\``,
        );
      }
    }
    checkKnownKeys(given, mapOptionNames, 'pool.map');
    return this.#map(inputs, { ...this.#defaults, ...given }, false);
  }

  /** @internal `pqdm` runs one map on a pool it owns, and closes the pool when the map ends. */
  static runOwned<O>(pool: Pool<O>, inputs: unknown, options: MapOptions): PqdmResult<O> {
    return pool.#map(inputs, options, true);
  }

  #map(inputs: unknown, options: MapOptions, owned: boolean): PqdmResult<O> {
    checkIterable(inputs);
    const core = this.#core;
    const runs = this.#runs;
    const host: RunHost = {
      nJobs: core.nJobs,
      attach: (run) => {
        runs.add(run);
        core.attach(run);
      },
      dispatch: () => core.dispatch(),
      release: async (run, urgent) => {
        runs.delete(run);
        core.detach(run);
        const { closeTimeout } = core.options;
        if (owned) await core.close(urgent ? Math.min(ABORT_GRACE_MS, closeTimeout) : closeTimeout);
      },
    };
    const result = new PqdmResult<O>(new MapRun(host, inputs, resolveMapOptions(options)));
    return result;
  }

  /** Stops every worker after its current item, running each instance's `close()`. Maps still running fail. */
  async close(): Promise<void> {
    for (const run of this.#runs) run.fail(new Error('the pool was closed while this map was running'));
    await this.#core.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/** Options of `pqdm`: those of a map and those of its pool. */
export type PqdmOptions<BackendOptions extends object = object> = MapOptions & PoolOptions & BackendOptions;

/**
 * pqdm's parallel map, bound to a backend: `pqdm(inputs, workers, nJobs?, options?)`.
 * @internal Backends export it as `pqdm`.
 */
export function runPqdm<O, BackendOptions extends object>(
  backend: Backend<BackendOptions>,
  inputs: Iterable<unknown> | AsyncIterable<unknown>,
  workers: Workers<O>,
  nJobsOrOptions?: number | PqdmOptions<BackendOptions>,
  maybeOptions?: PqdmOptions<BackendOptions>,
): PqdmResult<O> {
  checkIterable(inputs);
  let options: PqdmOptions<BackendOptions>;
  if (typeof nJobsOrOptions === 'object' && nJobsOrOptions !== null) {
    if (maybeOptions !== undefined) throw new TypeError('pqdm: give options once, as the third or the fourth argument');
    options = nJobsOrOptions;
  } else {
    options = checkObject(maybeOptions, 'options') as PqdmOptions<BackendOptions>;
    if (nJobsOrOptions !== undefined) {
      if (options.nJobs !== undefined && options.nJobs !== nJobsOrOptions) {
        throw new TypeError(
          `pqdm: nJobs is given twice, as ${describeValue(nJobsOrOptions)} and as options.nJobs ${describeValue(options.nJobs)}`,
        );
      }
      options = { ...options, nJobs: checkCount('nJobs', nJobsOrOptions) };
    }
  }
  const all = checkObject(options, 'options') as PqdmOptions<BackendOptions>;
  checkKnownKeys(all, [...poolOptionNames, ...backend.optionNames, ...mapOptionNames], `pqdm (${backend.name})`);
  const mapOptions = pick(all, mapOptionNames) as MapOptions;
  resolveMapOptions(mapOptions);
  const pool = new Pool<O, BackendOptions>(
    workers,
    pick(all, [...poolOptionNames, ...backend.optionNames]) as PqdmOptions<BackendOptions>,
    backend,
  );
  return Pool.runOwned(pool as Pool<O>, inputs, mapOptions);
}
